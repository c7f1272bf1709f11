import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'smol-toml';
import { patchToml, removeSection, tomlValue } from '../../../src/app/settings/toml-patch.js';

const original = `# my backup
[onedrive]
client_id = "abc" # from Azure

# S3 side
[aws]
# the bucket I made in March
bucket = "old"
region = "eu-west-1"

# alerts
[mail]
api_key = "SG.x"
from = "a@b.c"
to = ["me@b.c"]
`;

describe('patchToml', () => {
  it('replaces a value in place and keeps every comment line', () => {
    const out = patchToml(original, [{ section: 'aws', key: 'bucket', value: 'new' }]);
    assert.match(out, /# the bucket I made in March\nbucket = "new"\n/);
    assert.match(out, /^# my backup\n/);
    assert.match(out, /# S3 side\n\[aws\]/);
    assert.equal((parse(out).aws as { bucket: string }).bucket, 'new');
  });

  it('adds a missing key at the end of its section, before the next section’s comment', () => {
    const out = patchToml(original, [{ section: 'aws', key: 'prefix', value: 'od/' }]);
    assert.match(out, /region = "eu-west-1"\nprefix = "od\/"\n\n# alerts\n\[mail\]/);
  });

  it('adds a missing section at the end and removes keys set to undefined', () => {
    const out = patchToml(original, [
      { section: 'general', key: 'interval', value: '15m' },
      { section: 'aws', key: 'region', value: undefined },
    ]);
    const parsed = parse(out) as Record<string, Record<string, unknown>>;
    assert.equal(parsed.general?.interval, '15m');
    assert.equal(parsed.aws?.region, undefined);
    assert.match(out, /\n\n\[general\]\ninterval = "15m"\n$/);
  });

  it('writes strings with quotes and backslashes so TOML reads them back unchanged', () => {
    const tricky = 'C:\\keys\\"odd" name\tx';
    const out = patchToml('', [
      { section: 'web_server', key: 'tls_private_key', value: tricky },
      { section: 'mail', key: 'to', value: ['a@b.c', 'd@e.f'] },
      { section: 'web_server', key: 'bind_port', value: 8443 },
    ]);
    const parsed = parse(out) as Record<string, Record<string, unknown>>;
    assert.equal(parsed.web_server?.tls_private_key, tricky);
    assert.deepEqual(parsed.mail?.to, ['a@b.c', 'd@e.f']);
    assert.equal(Number(parsed.web_server?.bind_port), 8443);
    assert.equal(tomlValue(8443), '8443');
  });

  it('keeps Windows line endings', () => {
    const out = patchToml('[aws]\r\nbucket = "a"\r\n', [
      { section: 'aws', key: 'bucket', value: 'b' },
    ]);
    assert.equal(out, '[aws]\r\nbucket = "b"\r\n');
  });
});

describe('removeSection', () => {
  it('removes a section but not the comment that introduces the next one', () => {
    const text = '[mail]\napi_key = "x"\n\n# general things\n[general]\ninterval = "1h"\n';
    assert.equal(removeSection(text, 'mail'), '\n# general things\n[general]\ninterval = "1h"\n');
    assert.equal(removeSection(text, 'nope'), text);
  });
});
