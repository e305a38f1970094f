import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { FleetSynth } from '../src';
import { captureSynthOutput } from './quiet-synth';
import { notAnOutputDirectory, writeAtomically } from '../src/internal/output/atomic-output';

// FleetSynth's output is replaced as a whole or not at all (src/internal/output/atomic-output.ts): faults injected while writing
// and swapping, a synth killed while writing, a full file system (a 64 KiB tmpfs, where this machine lets the test
// mount one), and output directories that must never be replaced.

/** Review files of a fleet version. */
class Files extends Construct {
  constructor(scope: Construct, id: string, private readonly files: Record<string, string>) {
    super(scope, id);
  }

  public _extraFiles() {
    return Object.entries(this.files).map(([fileName, content]) => ({ fileName, content }));
  }
}

/** The fs module itself (the namespace import above is a read-only view), so that faults can be injected into it. */
const nodeFs: typeof fs = jest.requireActual('fs');

const tmpDirs: string[] = [];
const output = captureSynthOutput();

afterAll(() => {
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tmp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-output-'));
  tmpDirs.push(dir);
  return dir;
}

/** A fleet version: one ConfigMap named after `version`, and the review files. */
function fleet(outdir: string, version: string, files: Record<string, string>): App {
  const app = new App({ outdir });
  const chart = new Chart(app, 'fleet', { namespace: 'ci' });
  new ApiObject(chart, 'Map', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `fleet-${version}` }, data: { v: version.repeat(100) } });
  new Files(chart, 'Files', files);
  return app;
}

/** Every file under `dir` with its bytes, by relative path. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, full)] = fs.readFileSync(full).toString('base64');
  }
  return out;
}

const V1 = { 'a.txt': 'one\n', 'b.txt': 'old b\n', 'c.txt': 'old c\n' };
const V2 = { 'a.txt': 'two\n', 'd.txt': 'new d\n', 'e.txt': 'x'.repeat(100_000) };

/** An output directory holding version 1, and its bytes. */
function withVersion1(): { parent: string; outdir: string; before: Record<string, string> } {
  const parent = tmp();
  const outdir = path.join(parent, 'dist');
  expect(FleetSynth.synth(fleet(outdir, 'v1', V1)).written).toBe(true);
  return { parent, outdir, before: tree(outdir) };
}

describe('a successful synth', () => {
  test('replaces the previous output as a whole: files the new synth does not write are gone, nothing is left beside it', () => {
    const { parent, outdir } = withVersion1();
    expect(FleetSynth.synth(fleet(outdir, 'v2', V2)).written).toBe(true);
    expect(fs.readdirSync(outdir).sort()).toEqual(['a.txt', 'd.txt', 'e.txt', 'fleet.k8s.yaml']);
    expect(fs.readFileSync(path.join(outdir, 'fleet.k8s.yaml'), 'utf8')).toContain('fleet-v2');
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });

  test('writes into a directory that did not exist, parents included', () => {
    const outdir = path.join(tmp(), 'deep', 'er', 'dist');
    expect(FleetSynth.synth(fleet(outdir, 'v1', V1)).written).toBe(true);
    expect(fs.readdirSync(outdir).sort()).toEqual(['a.txt', 'b.txt', 'c.txt', 'fleet.k8s.yaml']);
  });
});

describe('a failure leaves the previous output byte-identical and says so', () => {
  // Version 2 writes 4 files (the manifest, then a.txt, d.txt, e.txt): fail each of them in turn.
  test.each([1, 2, 3, 4])('write number %i fails with ENOSPC', (failing) => {
    const { parent, outdir, before } = withVersion1();
    const write = fs.writeFileSync;
    let calls = 0;
    jest.spyOn(nodeFs, 'writeFileSync').mockImplementation((...args: Parameters<typeof fs.writeFileSync>) => {
      calls++;
      if (calls === failing) {
        // A torn write: part of the content lands, then the disk is full.
        write(args[0], String(args[1]).slice(0, 10));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
      }
      return write(...args);
    });
    const result = FleetSynth.synth(fleet(outdir, 'v2', V2));
    expect(calls).toBe(failing);
    expect(result.written).toBe(false);
    expect(process.exitCode).toBe(1);
    expect(tree(outdir)).toEqual(before);
    expect(fs.readdirSync(parent)).toEqual(['dist']);
    const out = output.stderr.join('');
    expect(out).toContain(`Synth failed while writing; nothing was written: ${outdir} is unchanged.`);
    expect(out).toContain('ENOSPC');
  });

  test('the swap fails: the previous output is put back', () => {
    const { parent, outdir, before } = withVersion1();
    const rename = fs.renameSync;
    let calls = 0;
    jest.spyOn(nodeFs, 'renameSync').mockImplementation((from, to) => {
      calls++;
      // The first rename sets the previous output aside; the second, staging into place, fails.
      if (calls === 2) throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO', syscall: 'rename' });
      return rename(from, to);
    });
    expect(FleetSynth.synth(fleet(outdir, 'v2', V2)).written).toBe(false);
    expect(calls).toBe(3);
    expect(tree(outdir)).toEqual(before);
    expect(fs.readdirSync(parent)).toEqual(['dist']);
    expect(output.stderr.join('')).toContain(`nothing was written: ${outdir} is unchanged.`);
  });

  test('the app\'s own validation fails: refused, the previous output unchanged', () => {
    const { outdir, before } = withVersion1();
    const app = fleet(outdir, 'v2', V2);
    app.node.findChild('fleet').node.addValidation({ validate: () => ['the chart is broken'] });
    expect(FleetSynth.synth(app).written).toBe(false);
    expect(tree(outdir)).toEqual(before);
    expect(output.stderr.join('')).toMatch(new RegExp(`Synth refused; nothing was written: ${outdir.replace(/[/\\.]/g, '\\$&')} is unchanged\\.\\n.*the chart is broken`, 's'));
  });
});

describe('a synth killed while writing', () => {
  test('leaves the previous output as it was; the next synth removes its staging directory', async () => {
    const { parent, outdir, before } = withVersion1();
    const script = `
      const fs = require('fs');
      const { App, Chart, ApiObject } = require('cdk8s');
      const { FleetSynth } = require(${JSON.stringify(path.join(__dirname, '..', 'src'))});
      const write = fs.writeFileSync;
      let calls = 0;
      fs.writeFileSync = (...args) => {
        write(...args);
        if (++calls === 2) { process.stdout.write('WRITING\\n'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); }
      };
      const app = new App({ outdir: ${JSON.stringify(outdir)} });
      const chart = new Chart(app, 'fleet');
      new ApiObject(chart, 'Map', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fleet-v2' } });
      class Files extends require('constructs').Construct { _extraFiles() { return [{ fileName: 'a.txt', content: 'two' }, { fileName: 'd.txt', content: 'd' }]; } }
      new Files(chart, 'Files');
      FleetSynth.synth(app);
    `;
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: path.join(__dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (d) => (errors += String(d)));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
      child.stdout.on('data', (d) => {
        if (String(d).includes('WRITING')) child.kill('SIGKILL');
      });
      child.on('exit', (_code, sig) => resolve(sig));
    });
    expect({ signal, errors }).toEqual({ signal: 'SIGKILL', errors: '' });
    expect(tree(outdir)).toEqual(before);
    expect(fs.readdirSync(parent).filter((n) => n !== 'dist')).toHaveLength(1);
    expect(FleetSynth.synth(fleet(outdir, 'v2', V2)).written).toBe(true);
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  }, 60_000);
});

describe('a full file system (64 KiB tmpfs)', () => {
  test('leaves the previous output byte-identical, where this machine allows mounting a tmpfs', () => {
    const mountPoint = tmp();
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { stdio: 'ignore' });
    } catch {
      console.warn('tmpfs fault test not run: this machine does not allow mounting a tmpfs (the injected ENOSPC tests cover the same path).');
      return;
    }
    try {
      const outdir = path.join(mountPoint, 'dist');
      expect(FleetSynth.synth(fleet(outdir, 'v1', V1)).written).toBe(true);
      const before = tree(outdir);
      // Version 2's e.txt alone (100 kB) does not fit.
      expect(FleetSynth.synth(fleet(outdir, 'v2', V2)).written).toBe(false);
      expect(tree(outdir)).toEqual(before);
      expect(fs.readdirSync(mountPoint)).toEqual(['dist']);
      expect(output.stderr.join('')).toContain(`Synth failed while writing; nothing was written: ${outdir} is unchanged.`);
    } finally {
      execFileSync('umount', [mountPoint]);
    }
  });
});

describe('directories that are never replaced', () => {
  test('the working directory and its parents', () => {
    expect(notAnOutputDirectory(process.cwd())).toContain('the working directory or one of its parents');
    expect(notAnOutputDirectory(path.dirname(process.cwd()))).toContain('the working directory or one of its parents');
  });

  test.each([
    ['a repository', (dir: string) => fs.mkdirSync(path.join(dir, '.git')), 'it holds a .git'],
    ['nested folders', (dir: string) => fs.mkdirSync(path.join(dir, 'src', 'lib'), { recursive: true }), 'which is not a file of a chart folder'],
    ['a file', (dir: string) => fs.rmSync(dir, { recursive: true }) ?? fs.writeFileSync(dir, 'x'), 'it is not a directory'],
    ['a symbolic link', (dir: string) => fs.rmSync(dir, { recursive: true }) ?? fs.symlinkSync(path.dirname(dir), dir), 'it is a symbolic link'],
  ])('%s: refused, nothing touched', (_what, make, reason) => {
    const outdir = path.join(tmp(), 'out');
    fs.mkdirSync(outdir);
    make(outdir);
    const before = fs.lstatSync(outdir).isDirectory() ? tree(outdir) : {};
    const outcome = writeAtomically(outdir, () => {
      throw new Error('must not be called');
    });
    expect(outcome).toMatchObject({ ok: false, stage: 'refused' });
    expect(!outcome.ok && outcome.message).toContain(reason);
    expect(fs.lstatSync(outdir).isDirectory() ? tree(outdir) : {}).toEqual(before);
  });

  test('FleetSynth says why and writes nothing', () => {
    const outdir = path.join(tmp(), 'repo');
    fs.mkdirSync(path.join(outdir, '.git'), { recursive: true });
    expect(FleetSynth.synth(fleet(outdir, 'v1', V1)).written).toBe(false);
    expect(output.stderr.join('')).toContain(`Synth refused; nothing was written: ${outdir} is not replaced: it holds a .git.`);
    expect(fs.readdirSync(outdir)).toEqual(['.git']);
  });
});
