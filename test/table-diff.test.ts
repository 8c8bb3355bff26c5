import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffAdmission } from '../src/control/table-diff.js';
import { admitTriggers, statusOf } from './helpers/admission.js';
import { trigger } from './helpers/build-manifests.js';

const shop = trigger('team-a/shop', 'shop.example.com', { created: 1 });
const blog = trigger('team-b/blog', 'blog.example.com', { created: 2 });

describe('diffAdmission', () => {
  it('on the first admission, every host is added and every status new', () => {
    const next = admitTriggers([shop, blog]);
    const diff = diffAdmission(undefined, next);
    assert.deepEqual(diff.addedHosts, ['blog.example.com', 'shop.example.com']);
    assert.deepEqual(diff.removedHosts, []);
    assert.deepEqual(diff.changedHosts, []);
    assert.deepEqual(
      diff.statusChanges.map((change) => [change.namespace, change.name, change.before, change.after]),
      [
        ['team-a', 'shop', undefined, statusOf(next, 'team-a/shop')],
        ['team-b', 'blog', undefined, statusOf(next, 'team-b/blog')],
      ],
    );
  });

  it('reports nothing between equal admissions', () => {
    assert.deepEqual(diffAdmission(admitTriggers([shop, blog]), admitTriggers([blog, shop])), {
      addedHosts: [],
      removedHosts: [],
      changedHosts: [],
      statusChanges: [],
    });
  });

  it('tells added, removed and changed hosts apart, and the statuses that came, went or changed', () => {
    const previous = admitTriggers([shop, blog]);
    const shopV2 = trigger('team-a/shop', 'shop.example.com', { created: 1, paths: [['Prefix', '/api']] });
    const wiki = trigger('team-c/wiki', 'wiki.example.com', { created: 3 });
    const next = admitTriggers([shopV2, wiki]);
    const diff = diffAdmission(previous, next);
    assert.deepEqual(diff.addedHosts, ['wiki.example.com']);
    assert.deepEqual(diff.removedHosts, ['blog.example.com']);
    assert.deepEqual(diff.changedHosts, ['shop.example.com']);
    assert.deepEqual(
      diff.statusChanges.map((change) => [`${change.namespace}/${change.name}`, change.before !== undefined, change.after !== undefined]),
      [
        ['team-b/blog', true, false],
        ['team-c/wiki', false, true],
      ],
      "team-a/shop's routes moved but its conditions did not change",
    );
  });

  it('sees a host change owner, and the statuses of both claimants change', () => {
    const rival = trigger('team-b/rival', 'shop.example.com', { created: 2 });
    const previous = admitTriggers([shop, rival]);
    const next = admitTriggers([rival]);
    const diff = diffAdmission(previous, next);
    assert.deepEqual(diff.changedHosts, ['shop.example.com']);
    assert.deepEqual(
      diff.statusChanges.map((change) => [`${change.namespace}/${change.name}`, change.after?.rejections.length]),
      [
        ['team-a/shop', undefined],
        ['team-b/rival', 0],
      ],
    );
  });

  it('counts a status as changed when its conditions change though its rejections do not', () => {
    const twoPaths = trigger('team-a/shop', 'shop.example.com', { created: 1, paths: [['Prefix', '/'], ['Prefix', '/api']] });
    const diff = diffAdmission(admitTriggers([shop]), admitTriggers([twoPaths]));
    assert.deepEqual(
      diff.statusChanges.map((change) => [change.name, change.before?.rejections, change.after?.rejections]),
      [['shop', [], []]],
    );
    assert.deepEqual(diff.changedHosts, ['shop.example.com']);
  });
});
