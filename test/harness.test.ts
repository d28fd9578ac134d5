import { describe, it, expect, inject } from 'vitest';
import path from 'node:path';
import { runAction, NODE_MAJORS, parseKeyValueFile } from './harness/index.ts';

const fixtures = inject('fixtureActions');
const probe = path.join(fixtures, 'probe');

// The probe is built by the global setup with the same bundler as the actions, so these tests also
// prove that the build output runs.

describe('parseKeyValueFile', () => {
  it('reads plain and heredoc entries', () => {
    expect(parseKeyValueFile('a=1\nb<<EOF_X\nline 1\nline 2\nEOF_X\nc=x=y\n')).toEqual({
      a: '1',
      b: 'line 1\nline 2',
      c: 'x=y',
    });
  });
  it('rejects an unterminated heredoc', () => {
    expect(() => parseKeyValueFile('a<<D\nno end\n')).toThrow(/unterminated/);
  });
});

describe.each(NODE_MAJORS)('bundle on Node %i', (node) => {
  it('reads inputs with defaults, writes outputs, state, summary, runs post with state', async () => {
    const run = await runAction('probe', {
      actionDir: probe,
      node,
      inputs: { greeting: 'hello', count: 3 },
      env: { GITHUB_TOKEN: 'ghs_secretvalue' },
      event: { name: 'pull_request', payload: { pull_request: { number: 7 } } },
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      message: 'hello\nhello\nhello',
      threshold: '0.5',
      event: 'pull_request',
      pr: '7',
      node: expect.stringMatching(new RegExp(`^v${node}\\.`)),
    });
    expect(run.state).toEqual({ started: 'yes' });
    expect(run.masks).toContain('ghs_secretvalue');
    expect(run.summary).toContain('hello × 3');
    expect(run.post?.exitCode).toBe(0);
    expect(run.summary).toContain('post: started=yes');
  });

  it('reports a user error as one line with the fix and no stack trace', async () => {
    const run = await runAction('probe', { actionDir: probe, node, inputs: { greeting: 'x', fail: 'user' } });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(["input 'fail': The probe was asked to fail. Fix: Set `fail: none`."]);
    // The stack goes to the debug log only (hidden unless step debug logging is on).
    const visible = run.stdout.split('\n').filter((line) => !line.startsWith('::debug::'));
    expect(visible.join('\n')).not.toMatch(/\bat .+\.js:\d+/);
    expect(run.annotations.some((a) => a.level === 'debug' && a.message.includes('UserError'))).toBe(true);
    expect(run.post?.exitCode).toBe(0);
    expect(run.summary).toContain('post: started=no');
  });

  it('reports an invalid structured input with input name, JSON pointer and fix', async () => {
    const run = await runAction('probe', {
      actionDir: probe,
      node,
      inputs: { greeting: 'x', config: '{"threshold": "high", "treshold": 1}' },
    });
    expect(run.exitCode).toBe(1);
    const [error] = run.errors;
    expect(error).toContain("input 'config'");
    expect(error).toContain('at /threshold: expected number, got string "high"');
    expect(error).toContain("at /: unknown key 'treshold'. Did you mean 'threshold'?");
    expect(error).toContain('Fix:');
  });

  it('reports a bug with a pointer to debug logging, the stack only in debug', async () => {
    const run = await runAction('probe', { actionDir: probe, node, inputs: { greeting: 'x', fail: 'bug' } });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(
      /^probe failed unexpectedly: probe bug\. This is a bug in modelops-actions/,
    );
    expect(
      run.annotations.some((a) => a.level === 'debug' && a.message.includes('TypeError: probe bug')),
    ).toBe(true);
  });

  it('fails a missing required input naming it', async () => {
    const run = await runAction('probe', { actionDir: probe, node });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/Input 'greeting' is required/);
  });
});
