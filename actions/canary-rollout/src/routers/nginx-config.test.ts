import { describe, it, expect } from 'vitest';
import { renderSplit, upstreamWeights, weightOf, type NginxSplitSettings } from './nginx-config.ts';

const split: NginxSplitSettings = {
  mode: 'split-clients',
  key: '${request_id}',
  variable: 'model_pool',
  stableUpstream: 'stable',
  canaryUpstream: 'canary',
};
const upstream: NginxSplitSettings = {
  mode: 'upstream',
  upstream: 'model',
  stableServers: ['10.0.0.1:8080'],
  canaryServers: ['10.0.0.2:8080'],
};

describe('renderSplit', () => {
  it('writes split_clients with the canary share and the rest on stable', () => {
    expect(renderSplit(split, 10)).toBe(
      '# modelops canary-rollout: canary weight 10% (do not edit: the next rollout step rewrites this file)\n' +
        'split_clients "${request_id}" $model_pool {\n    10% canary;\n    * stable;\n}\n',
    );
    expect(renderSplit(split, 0)).toContain('{\n    * stable;\n}');
    expect(renderSplit(split, 100)).toContain('{\n    * canary;\n}');
  });

  it('writes a weighted upstream, leaving out the side with no traffic', () => {
    expect(renderSplit(upstream, 10)).toContain(
      'upstream model {\n    server 10.0.0.1:8080 weight=9;\n    server 10.0.0.2:8080 weight=1;\n}',
    );
    expect(renderSplit(upstream, 0)).toContain('upstream model {\n    server 10.0.0.1:8080 weight=1;\n}');
    expect(renderSplit(upstream, 100)).toContain('upstream model {\n    server 10.0.0.2:8080 weight=1;\n}');
    expect(renderSplit({ ...upstream, serverParameters: 'max_fails=3' }, 50)).toContain(
      'server 10.0.0.1:8080 weight=1 max_fails=3;',
    );
  });

  it('reads its own weight back, and nothing from other files', () => {
    expect(weightOf(renderSplit(split, 25))).toBe(25);
    expect(weightOf(renderSplit(upstream, 0))).toBe(0);
    expect(weightOf('upstream model { server a; }')).toBeUndefined();
  });
});

describe('upstreamWeights', () => {
  it('gives each side its share whatever the number of servers', () => {
    expect(upstreamWeights(10, 1, 1)).toEqual({ stable: 9, canary: 1 });
    expect(upstreamWeights(25, 1, 1)).toEqual({ stable: 3, canary: 1 });
    // 3 stable servers and 1 canary at 25 %: 3·s : 1·c = 75 : 25 → s = c = 1.
    expect(upstreamWeights(25, 3, 1)).toEqual({ stable: 1, canary: 1 });
    // 1 stable and 2 canaries at 10 %: s : 2c = 90 : 10 → s = 18, c = 1.
    expect(upstreamWeights(10, 1, 2)).toEqual({ stable: 18, canary: 1 });
  });
});
