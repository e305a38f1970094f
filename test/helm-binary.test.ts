import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { deflateRawSync, gzipSync } from 'zlib';
import { CHART_PATH, readTgz, readZipEntry, realHelm, reportMissingHelm, requireRealHelm } from './helm-binary';

/** A zip archive of `files`, each stored (method 0) or deflated (method 8); CRCs are left 0 (the reader ignores them). */
function zip(files: Array<{ name: string; data: Buffer; deflate: boolean }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const body = f.deflate ? deflateRawSync(f.data) : f.data;
    const name = Buffer.from(f.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(f.deflate ? 8 : 0, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(f.deflate ? 8 : 0, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(f.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('readZipEntry', () => {
  const text = Buffer.from('helm '.repeat(1000));
  const archive = zip([
    { name: 'kubectl/kubectl', data: Buffer.from('other'), deflate: false },
    { name: 'helm/helm', data: text, deflate: true },
    { name: 'helm/README', data: Buffer.from('stored'), deflate: false },
  ]);

  test('reads deflated and stored entries by name', () => {
    expect(readZipEntry(archive, 'helm/helm')).toEqual(text);
    expect(readZipEntry(archive, 'helm/README').toString()).toBe('stored');
  });

  test('refuses what it cannot read', () => {
    expect(() => readZipEntry(archive, 'helm/missing')).toThrow('no entry helm/missing in the zip archive.');
    expect(() => readZipEntry(Buffer.from('not a zip archive at all, just text'), 'helm/helm')).toThrow(/not a zip archive/);
    // The second central directory record (after the first, for kubectl/kubectl) with its signature broken.
    const corrupt = Buffer.from(archive);
    corrupt.writeUInt32LE(0, corrupt.readUInt32LE(corrupt.length - 22 + 16) + 46 + 'kubectl/kubectl'.length);
    expect(() => readZipEntry(corrupt, 'helm/helm')).toThrow(/corrupt zip central directory/);
  });
});

/** A tar header block: ustar fields name, size (octal), type. */
function tarHeader(name: string, size: number, type: string): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  header.write(type, 156);
  header.write('ustar\0', 257);
  return header;
}
const pad = (data: Buffer) => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);

describe('readTgz', () => {
  test('reads regular files, honours a PAX path, skips directories', () => {
    const pax = Buffer.from('38 path=chart/templates/a-long-name.txt\n');
    const tgz = gzipSync(Buffer.concat([
      tarHeader('chart/', 0, '5'),
      tarHeader('chart/Chart.yaml', 5, '0'), pad(Buffer.from('name:')),
      tarHeader('PaxHeaders/x', pax.length, 'x'), pad(pax),
      tarHeader('chart/templates/a-long-na', 3, '0'), pad(Buffer.from('abc')),
      Buffer.alloc(1024),
    ]));
    const files = readTgz(tgz);
    expect([...files.keys()]).toEqual(['chart/Chart.yaml', 'chart/templates/a-long-name.txt']);
    expect(files.get('chart/templates/a-long-name.txt')!.toString()).toBe('abc');
  });

  test('reads the chart package', () => {
    if (!fs.existsSync(CHART_PATH)) return;
    const files = readTgz(fs.readFileSync(CHART_PATH));
    expect(files.get('gitlab-runner/Chart.yaml')!.toString()).toMatch(/^version: 0\.86\.0$/m);
    expect(files.has('gitlab-runner/templates/NOTES.txt')).toBe(true);
  });
});

describe('reportMissingHelm', () => {
  test('fails in CI, warns elsewhere, says nothing when helm is there', () => {
    expect(() => reportMissingHelm('the chart is missing.', true)).toThrow('cannot render the gitlab-runner chart: the chart is missing.');
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    reportMissingHelm('the chart is missing.', false);
    expect(warn).toHaveBeenCalledWith('cannot render the gitlab-runner chart: the chart is missing. The chart rendering tests are left out outside CI.');
    warn.mockClear();
    reportMissingHelm(undefined, true);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});

if (requireRealHelm()) {
  test('the extracted binary is Helm 3.17.3', () => {
    const found = realHelm() as { helm: string };
    expect(execFileSync(found.helm, ['version', '--short'], { encoding: 'utf-8' }).trim()).toMatch(/^v3\.17\.3\+g[0-9a-f]+$/);
  });
}
