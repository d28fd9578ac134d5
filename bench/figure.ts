/** One measured figure of a benchmark suite, against a named peer (the shape `bench/run.ts` tabulates). */
export interface BenchFigure {
  name: string;
  /** Our figure. */
  ours: number;
  /** The peer's figure (null when there is no runnable peer). */
  peer: number | null;
  /**
   * The ratio as the suite states it in its log (e.g. peer / ours for times in dataset-hash, ours /
   * peer in metrics and start-up); null without a peer. The run's table puts every figure as ours / peer.
   */
  ratio: number | null;
  unit: string;
}
