import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import JSZip from 'jszip';
import { ROOT } from '../../src/config.js';
import { tempDir } from '../support/server.js';
import { pngInfo } from '../../scripts/png.js';
import { buildTeamsPackage, ManifestError } from '../../scripts/teams-package.js';

/** The in-process packager's refusal, for the checks that need no separate process. */
async function refusal(options: Parameters<typeof buildTeamsPackage>[0]): Promise<string> {
  try { await buildTeamsPackage(options); } catch (e) { if (e instanceof ManifestError) return e.message; throw e; }
  throw new Error('expected the package to be refused');
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const SCHEMAS = join(ROOT, 'node_modules/@microsoft/app-manifest/build/json-schemas/teams');
const BOT_ID = '8d2c7f0e-3b1a-4c55-9e0b-6a4f1d2e7c90';
const ENV = {
  MicrosoftAppId: BOT_ID,
  TEAMS_WEBSITE_URL: 'https://support.example.com',
  TEAMS_PRIVACY_URL: 'https://support.example.com/privacy',
  TEAMS_TERMS_URL: 'https://support.example.com/terms',
};

/** Runs the real `teams:package` script as a process, the way `npm run teams:package` does. */
function pack(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(MicrosoftApp|TEAMS_)/.test(k)));
    execFile(process.execPath, ['--no-deprecation', '--import', 'tsx', join(ROOT, 'scripts', 'teams-package.ts'), ...args], { cwd: ROOT, env: { ...clean, ...env } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

/** A copy of `teams/` with the manifest changed by `edit`, for refusal tests. */
function brokenCopy(edit: (m: any) => void): string {
  const dir = join(tempDir('teams-pkg-'), 'teams');
  cpSync(join(ROOT, 'teams'), dir, { recursive: true });
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  edit(m);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m, null, 2));
  return dir;
}

describe('npm run teams:package', () => {
  it('writes a zip whose manifest validates against the newest shipped Teams schema, with the bot id filled in and both icons', async () => {
    const out = join(tempDir('teams-pkg-'), 'teams-app.zip');
    const r = await pack(['--out', out], ENV);
    expect(r.code, r.stderr).to.equal(0);
    const zip = await JSZip.loadAsync(readFileSync(out));
    expect(Object.keys(zip.files).sort()).to.deep.equal(['color.png', 'manifest.json', 'outline.png']);
    const text = await zip.file('manifest.json')!.async('string');
    expect(text).to.not.include('{{');
    const manifest = JSON.parse(text);
    expect(manifest.bots[0].botId).to.equal(BOT_ID);
    expect(manifest.id).to.equal(BOT_ID);
    expect(manifest.bots[0].scopes).to.have.members(['personal', 'team', 'groupChat']);
    expect(manifest.name.short).to.equal('T-Mobile Support');

    const newest = readdirSync(SCHEMAS).filter((v) => /^v1\.\d+$/.test(v)).map((v) => v.slice(1))
      .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1])).at(-1);
    expect(manifest.manifestVersion).to.equal(newest);
    const schema = JSON.parse(readFileSync(join(SCHEMAS, `v${newest}`, 'MicrosoftTeams.schema.json'), 'utf8'));
    delete schema.$schema;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(manifest), JSON.stringify(validate.errors)).to.equal(true);

    const color = pngInfo(Buffer.from(await zip.file('color.png')!.async('uint8array')));
    const outline = pngInfo(Buffer.from(await zip.file('outline.png')!.async('uint8array')));
    expect([color.width, color.height]).to.deep.equal([192, 192]);
    expect([outline.width, outline.height, outline.colorType]).to.deep.equal([32, 32, 6]);
  });

  it('refuses an invalid manifest with the reasons, and writes nothing', async () => {
    const dir = brokenCopy((m) => { m.bots[0].botId = 'support-bot'; m.bots[0].scopes.push('everyone'); m.colour = 'pink'; });
    const out = join(tempDir('teams-pkg-'), 'teams-app.zip');
    const r = await pack(['--dir', dir, '--out', out], ENV);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/Refusing to package .*manifest\.json/);
    expect(r.stderr).to.include('/bots/0/botId: must match pattern');
    expect(r.stderr).to.include('/bots/0/scopes/3');
    expect(r.stderr).to.include('"colour"');
    expect(existsSync(out)).to.equal(false);
  });

  it('refuses when a placeholder has no value, naming the variable to set', async () => {
    const out = join(tempDir('teams-pkg-'), 'teams-app.zip');
    const message = await refusal({ out, env: { ...ENV, MicrosoftAppId: '' } });
    expect(message).to.include('/bots/0/botId: placeholder {{MicrosoftAppId}} has no value: set MicrosoftAppId');
    expect(existsSync(out)).to.equal(false);
  });

  it('refuses icons of the wrong size and http developer links', async () => {
    const dir = brokenCopy((m) => { m.developer.privacyUrl = 'http://support.example.com/privacy'; });
    cpSync(join(dir, 'color.png'), join(dir, 'outline.png'));
    const message = await refusal({ dir, out: join(dir, 'x.zip'), env: ENV });
    expect(message).to.include('/icons/outline: "outline.png" is 192x192, Teams needs 32x32');
    expect(message).to.include('/developer/privacyUrl: Teams needs an https URL');
    expect(existsSync(join(dir, 'x.zip'))).to.equal(false);
  });
});
