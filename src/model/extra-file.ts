/** @internal A file written next to the manifests. */
export interface ExtraFile {
  readonly fileName: string;
  readonly content: string;
}
