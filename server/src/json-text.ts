/**
 * A JSON body already serialised, for answers that are reused as they are (a cached dashboard):
 * the API sends it byte for byte instead of serialising the same value on every request.
 */
export class JsonText {
  constructor(readonly text: string) {}
}
