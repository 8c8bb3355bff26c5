/**
 * Envoy's virtual host search (RouteMatcher::findVirtualHost): the exact domain, else the
 * longest suffix wildcard (`*.example.com`, `*-bar.example.com`: the "*" matches at least one
 * character), else the longest prefix wildcard (`foo.*`), else the `*` virtual host. The
 * chosen host is final: a path no route of it matches is a 404, never a fall-through.
 */
import { LRUCache } from 'lru-cache';
import type { CompiledVirtualHost, VirtualHostIndex } from '../config/types.js';
import { asciiLowerCase } from './ascii.js';
import { quote } from './proto-object.js';

export const DEFAULT_WILDCARD_CACHE_SIZE = 10_000;

export interface VirtualHostIndexOptions {
  /** Hosts whose wildcard search result is remembered; 0 turns the cache off. */
  readonly wildcardCacheSize?: number;
}

/** One wildcard length and the patterns of that length, without their "*". */
interface WildcardBucket {
  readonly length: number;
  readonly patterns: Map<string, CompiledVirtualHost>;
}

type DomainKind = 'exact' | 'suffix' | 'prefix' | 'universe';

export class DomainIndex implements VirtualHostIndex {
  readonly #exact = new Map<string, CompiledVirtualHost>();
  readonly #suffixes: WildcardBucket[] = [];
  readonly #prefixes: WildcardBucket[] = [];
  #universe: CompiledVirtualHost | undefined;
  /** Which virtual host owns each domain, for the duplicate check's message. */
  readonly #owners = new Map<string, string>();
  /**
   * Wildcard hits only, bounded, and new with every compiled configuration (so never stale).
   * Misses and `*` fallbacks are not cached: a flood of random unknown hosts would otherwise
   * evict every useful entry and allocate per request, while computing a miss costs no more
   * than the search the cache saves. Exact hits never come here.
   */
  readonly #cache: LRUCache<string, CompiledVirtualHost> | undefined;

  constructor(virtualHosts: readonly CompiledVirtualHost[], options: VirtualHostIndexOptions = {}) {
    for (const virtualHost of virtualHosts) {
      for (const domain of virtualHost.domains) this.#add(domain, virtualHost);
    }
    // Longest first: the first bucket that matches holds the longest matching wildcard.
    this.#suffixes.sort((a, b) => b.length - a.length);
    this.#prefixes.sort((a, b) => b.length - a.length);
    const size = options.wildcardCacheSize ?? DEFAULT_WILDCARD_CACHE_SIZE;
    const hasWildcards = this.#suffixes.length > 0 || this.#prefixes.length > 0;
    this.#cache = size > 0 && hasWildcards ? new LRUCache({ max: size }) : undefined;
  }

  find(host: string): CompiledVirtualHost | undefined {
    const exact = this.#exact.get(host);
    if (exact !== undefined) return exact;
    if (this.#cache === undefined) return this.#findWildcard(host) ?? this.#universe;
    const cached = this.#cache.get(host);
    if (cached !== undefined) return cached;
    const found = this.#findWildcard(host);
    if (found === undefined) return this.#universe;
    this.#cache.set(host, found);
    return found;
  }

  /** How many hosts the wildcard cache holds. */
  get cachedHostCount(): number {
    return this.#cache?.size ?? 0;
  }

  #findWildcard(host: string): CompiledVirtualHost | undefined {
    // `>= host.length` is skipped: the "*" must stand for at least one character.
    for (const { length, patterns } of this.#suffixes) {
      if (length >= host.length) continue;
      const found = patterns.get(host.slice(host.length - length));
      if (found !== undefined) return found;
    }
    for (const { length, patterns } of this.#prefixes) {
      if (length >= host.length) continue;
      const found = patterns.get(host.slice(0, length));
      if (found !== undefined) return found;
    }
    return undefined;
  }

  #add(raw: string, virtualHost: CompiledVirtualHost): void {
    const domain = asciiLowerCase(raw);
    const kind = domainKind(domain, virtualHost.name);
    const owner = this.#owners.get(domain);
    if (owner !== undefined) {
      const where = owner === virtualHost.name ? `virtual host ${quote(owner)} twice` : `virtual hosts ${quote(owner)} and ${quote(virtualHost.name)}`;
      throw new Error(`domain ${quote(domain)} is in ${where}; domains must be unique`);
    }
    this.#owners.set(domain, virtualHost.name);
    switch (kind) {
      case 'universe':
        this.#universe = virtualHost;
        return;
      case 'exact':
        this.#exact.set(domain, virtualHost);
        return;
      case 'suffix':
        return addWildcard(this.#suffixes, domain.slice(1), virtualHost);
      case 'prefix':
        return addWildcard(this.#prefixes, domain.slice(0, -1), virtualHost);
    }
  }
}

function addWildcard(buckets: WildcardBucket[], pattern: string, virtualHost: CompiledVirtualHost): void {
  let bucket = buckets.find((candidate) => candidate.length === pattern.length);
  if (bucket === undefined) {
    bucket = { length: pattern.length, patterns: new Map() };
    buckets.push(bucket);
  }
  bucket.patterns.set(pattern, virtualHost);
}

/**
 * Envoy files a domain by its first and last character only; a "*" anywhere else, or a port
 * (which a request host never has here: ports are ignored), would make a domain that can
 * never match, so it is refused as the mistake it is.
 */
function domainKind(domain: string, virtualHost: string): DomainKind {
  const where = `virtual host ${quote(virtualHost)}: domain ${quote(domain)}`;
  if (domain === '') throw new Error(`virtual host ${quote(virtualHost)}: a domain is empty`);
  if (domain === '*') return 'universe';
  if (/[\0\r\n]/.test(domain)) throw new Error(`${where} must not contain NUL, CR or LF`);
  const star = domain.indexOf('*');
  if (star >= 0 && (domain.indexOf('*', star + 1) >= 0 || (star !== 0 && star !== domain.length - 1))) {
    throw new Error(`${where}: a wildcard "*" may only be the first or the last character, once`);
  }
  const hostPart = domain.startsWith('[') ? domain.slice(domain.indexOf(']') + 1) : domain;
  if (hostPart.includes(':')) throw new Error(`${where} has a port; the Node router ignores the port of a request's host`);
  if (star === 0) return 'suffix';
  return star > 0 ? 'prefix' : 'exact';
}
