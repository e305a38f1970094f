// FleetSynth prints warnings and refusals to stderr and sets process.exitCode; fleet-synth.test.ts tests both. Suites
// that only look at what a synth writes silence the one and restore the other after each test.

/** Registers the beforeEach/afterEach that silence FleetSynth's output and restore process.exitCode. */
export function quietSynth(): void {
  const savedExitCode = process.exitCode;
  beforeEach(() => {
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.exitCode = savedExitCode;
  });
}
