/**
 * What the main step saves for the `post:` step (`core.saveState`; the runner hands it back as
 * `STATE_*`). Only facts, never secrets: the post step reads credentials from the inputs again.
 *
 * - `rollout`: saved once traffic is about to move (see {@link SavedRollout});
 * - `finished`: `true` once traffic is settled (promoted, or rolled back by the main step);
 * - `cancelled`: `true` when the main step received SIGINT/SIGTERM (the runner cancelling the job).
 */
import type { RouterMemo } from './routers/types.ts';

/** State keys. */
export const STATE_KEYS = { rollout: 'rollout', finished: 'finished', cancelled: 'cancelled' } as const;

/** What the post step needs to roll back and to finish the record. */
export interface SavedRollout {
  /** Format of this object. */
  v: 1;
  name: string;
  /** Absolute path of the RolloutRecord the main step keeps up to date. */
  recordFile: string;
  /** The router's facts from `prepare`. */
  memo: RouterMemo;
  /** GitHub deployment of the rollout, if one was created. */
  deploymentId?: number;
}

/** Serialises the saved rollout. */
export function encodeSavedRollout(saved: SavedRollout): string {
  return JSON.stringify(saved);
}

/** Parses the saved rollout; undefined when absent or unreadable (nothing to clean up). */
export function decodeSavedRollout(text: string | undefined): SavedRollout | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<SavedRollout>;
    if (value.v !== 1 || typeof value.name !== 'string' || typeof value.recordFile !== 'string')
      return undefined;
    const memo: RouterMemo = {};
    for (const [key, item] of Object.entries(value.memo ?? {}))
      if (typeof item === 'string') memo[key] = item;
    return {
      v: 1,
      name: value.name,
      recordFile: value.recordFile,
      memo,
      ...(typeof value.deploymentId === 'number' ? { deploymentId: value.deploymentId } : {}),
    };
  } catch {
    return undefined;
  }
}
