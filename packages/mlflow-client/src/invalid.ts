/**
 * The internal form of MLflow's `INVALID_PARAMETER_VALUE`: raised by the shared validators, filter
 * parser and page-token decoder without knowing which store called them. Each store turns it into its
 * own answer (the file store into `MlflowInvalidParameterError`, a server into an HTTP 400 body).
 */

/** A value MLflow would reject with `INVALID_PARAMETER_VALUE`; the message is MLflow's. */
export class InvalidParameterValue extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidParameterValue';
  }
}
