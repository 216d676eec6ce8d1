/** DEBUG RELOAD / LOADAOF could not load the dataset back: the message is the error reply's text. */
export class ReloadError extends Error {}
