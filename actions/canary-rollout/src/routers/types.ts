/**
 * Routers move traffic between the stable version and the canary. Each is a small object behind
 * {@link Router}; the controller only ever calls `prepare`, `setWeight`, `promote` and `rollback`.
 *
 * Adding a router (KServe `canaryTrafficPercent`, an Istio VirtualService, an Argo Rollout, a feature
 * flag) is one file implementing {@link Router} and one entry in `index.ts`:
 *
 * - `prepare()` reads what serves now and returns the labels of both versions, plus a small `memo`
 *   of facts `rollback()` needs later (it is saved for the `post:` step, which builds the router again
 *   from the same inputs and that memo — so no secrets in it);
 * - `setWeight(w)` sends w % of the traffic to the canary (0 ≤ w ≤ 100); it must be idempotent;
 * - `promote()` makes the canary the stable version with all of the traffic;
 * - `rollback()` sends all traffic to the stable version; it must be idempotent and work from a
 *   router built with only the inputs and the memo (the post step of a cancelled job calls it).
 */

/** Facts a router keeps between `prepare` and `rollback` (saved in the step state: no secrets). */
export type RouterMemo = Record<string, string>;

/** What `prepare` found. */
export interface PreparedRollout {
  /** The stable version as a reader should see it (e.g. `models:/churn/3`); null when nothing serves yet. */
  stable: string | null;
  /** The canary version as a reader should see it. */
  canary: string;
  /** True when the canary already is the stable version (nothing to roll out). */
  alreadyStable: boolean;
  /** Facts for `rollback` (saved for the post step). */
  memo: RouterMemo;
  /**
   * Bare version ids for metric queries (`{{canary_version}}`, `{{stable_version}}`), e.g. `4` for
   * `models:/churn/4`. Default: the labels.
   */
  versions?: { canary: string; stable: string | null };
  /** Things the user should know before traffic moves (shown as warnings). */
  warnings?: string[];
}

/** Where a step stands, for routers that pass it on (the command router's environment). */
export interface StepInfo {
  /** 1-based step number. */
  step: number;
  /** Number of steps in the plan. */
  steps: number;
}

/** Moves traffic; see the module comment. */
export interface Router {
  /** Kind as written in the `router` input, e.g. `nginx`. */
  readonly kind: string;
  /** One line for logs and the record, e.g. `nginx split file /etc/nginx/conf.d/model.conf`. */
  readonly description: string;
  /** Reads the current routing; called once, before any traffic moves. */
  prepare(): Promise<PreparedRollout>;
  /** Sends `weight` percent of the traffic to the canary. */
  setWeight(weight: number, step: StepInfo): Promise<void>;
  /** Makes the canary the stable version with 100 % of the traffic. */
  promote(): Promise<void>;
  /** Sends all traffic back to the stable version. */
  rollback(): Promise<void>;
}
