import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestFactory, loadNativeBlake3, nativeTriples, toHex, wasmBlake3Factory } from './digests.ts';

const hashOf = async (algorithm: 'sha256' | 'blake3' | 'dvc', parts: Uint8Array[]) => {
  const digest = (await digestFactory(algorithm)).create();
  for (const part of parts) digest.update(part);
  return toHex(digest.finish());
};

describe('digests', () => {
  it('match the published vectors', async () => {
    // BLAKE3 reference vectors (also what `b3sum` prints).
    expect(await hashOf('blake3', [])).toBe(
      'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262',
    );
    expect(await hashOf('blake3', [Buffer.from('abc')])).toBe(
      '6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85',
    );
    expect(await hashOf('sha256', [Buffer.from('abc')])).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(await hashOf('dvc', [Buffer.from('abc')])).toBe('900150983cd24fb0d6963f7d28e17f72');
  });

  it('hash a whole buffer in one call exactly as a digest object does', async () => {
    const data = randomBytes(70_000);
    for (const algorithm of ['sha256', 'blake3', 'dvc'] as const) {
      const factory = await digestFactory(algorithm);
      expect(toHex(factory.hashWhole(data))).toBe(
        await hashOf(algorithm, [data.subarray(0, 5), data.subarray(5)]),
      );
      expect(toHex(factory.hashWhole(new Uint8Array(0)))).toBe(await hashOf(algorithm, []));
    }
    const wasm = await wasmBlake3Factory(1);
    expect(toHex(wasm.hashWhole(data))).toBe(await hashOf('blake3', [data]));
  });

  it('give the same BLAKE3 digest natively and in WebAssembly, across chunk boundaries', async () => {
    expect(loadNativeBlake3()).not.toBeNull(); // the binding ships for this platform
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const native = await hashOf('blake3', [data.subarray(0, 1000), data.subarray(1000)]);
    const { createBLAKE3 } = await import('hash-wasm');
    const wasm = await createBLAKE3();
    wasm.init();
    wasm.update(data);
    expect(native).toBe(wasm.digest('hex'));
  });

  it('keep pooled wasm instances apart when two digests are open at once', async () => {
    const factory = await wasmBlake3Factory(2);
    expect(factory.implementation).toBe('wasm');
    const a = factory.create();
    const b = factory.create();
    expect(() => factory.create()).toThrow(/more than 2 BLAKE3 digests open/);
    a.update(Buffer.from('ab'));
    b.update(Buffer.from('x'));
    a.update(Buffer.from('c'));
    expect(toHex(a.finish())).toBe('6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85');
    expect(toHex(b.finish())).toBe(await hashOf('blake3', [Buffer.from('x')]));
    const again = factory.create(); // instances come back after finish()
    expect(toHex(again.finish())).toBe('af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262');
  });

  it('names the native binding files for the runner platforms', () => {
    expect(nativeTriples('linux', 'x64')).toEqual(['linux-x64-gnu', 'linux-x64-musl']);
    expect(nativeTriples('darwin', 'arm64')).toEqual(['darwin-arm64']);
    expect(nativeTriples('win32', 'x64')).toEqual(['win32-x64-msvc']);
    expect(nativeTriples('linux', 'ia32')).toEqual([]);
  });
});
