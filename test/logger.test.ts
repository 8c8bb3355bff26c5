/** The serve log: text lines for people, JSON lines for machines. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../src/util/logger.js';

const at = (): Date => new Date('2026-11-25T10:00:00.000Z');

test('text lines: time, level, message, then key=value with lists comma-joined and awkward values quoted', () => {
  const lines: string[] = [];
  createLogger('text', (line) => lines.push(line), at).warn('trigger refused', {
    trigger: 'team-b/x',
    hosts: ['a.example.com', 'b.example.com'],
    routes: 0,
    message: 'host "a" is owned',
    skipped: undefined,
    empty: '',
  });
  assert.deepEqual(lines, [
    '2026-11-25T10:00:00.000Z warn  trigger refused trigger=team-b/x hosts=a.example.com,b.example.com routes=0 message="host \\"a\\" is owned" empty=""',
  ]);
});

test('JSON lines carry time, level, msg and the fields, one object per line', () => {
  const lines: string[] = [];
  const log = createLogger('json', (line) => lines.push(line), at);
  log.info('route table loaded', { version: 'abc', hosts: 3 });
  log.error('boom', { error: 'disk full' });
  assert.deepEqual(lines.map((line) => JSON.parse(line) as unknown), [
    { time: '2026-11-25T10:00:00.000Z', level: 'info', msg: 'route table loaded', version: 'abc', hosts: 3 },
    { time: '2026-11-25T10:00:00.000Z', level: 'error', msg: 'boom', error: 'disk full' },
  ]);
});
