/**
 * @internal A file written next to the manifests. Its content may be rendered when read (a getter, rendered again on
 * every read): FleetSynth reads each file once, writes it and lets it go, so a big fleet's files are never all held.
 */
export interface ExtraFile {
  readonly fileName: string;
  readonly content: string;
}
