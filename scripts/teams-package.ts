/**
 * `npm run teams:package`: builds the Microsoft Teams app package (the zip to side-load or upload).
 *
 * 1. reads `teams/manifest.json` and fills its `{{placeholders}}` (see `placeholderValues`);
 * 2. validates the result offline against the manifest JSON schema of its `manifestVersion`,
 *    shipped in `@microsoft/app-manifest`, and checks the icons' sizes;
 * 3. refuses, listing every problem, when anything is wrong; otherwise writes
 *    `dist/teams-app.zip` with `manifest.json`, `color.png` and `outline.png` at its root.
 *
 * Options: `--dir <folder with manifest.json and icons>` (default `teams/`), `--out <zip>`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import JSZip from 'jszip';
import { ROOT } from '../src/config.js';
import { Content } from '../src/content/content.js';
import { pngInfo } from './png.js';

// ajv-formats is CommonJS with a default export; under NodeNext its type is the module namespace.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Why a manifest cannot be packaged: every problem found, each naming where it is. */
export class ManifestError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`Refusing to package ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ManifestError';
  }
}

export interface PackageOptions {
  /** Folder holding `manifest.json` and the icons it names. */
  dir?: string;
  /** Where the zip goes. */
  out?: string;
  /** Where placeholder values come from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The value of each placeholder the manifest may use. `MicrosoftAppId` is the Azure Bot's app id
 * (the bot id); `TEAMS_APP_ID` the Teams app's own id (defaults to the bot's); the three developer
 * URLs must be real https pages (`TEAMS_WEBSITE_URL` defaults to `website` in `data/brand.yml`);
 * `brand.*` come from `data/brand.yml`; `PACKAGE_VERSION` from package.json.
 */
export function placeholderValues(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const brand = Content.load(join(ROOT, 'data')).brand;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const v = (name: string) => env[name]?.trim() || undefined;
  return {
    MicrosoftAppId: v('MicrosoftAppId'),
    TEAMS_APP_ID: v('TEAMS_APP_ID') ?? v('MicrosoftAppId'),
    TEAMS_WEBSITE_URL: v('TEAMS_WEBSITE_URL') ?? (brand.website || undefined),
    TEAMS_PRIVACY_URL: v('TEAMS_PRIVACY_URL'),
    TEAMS_TERMS_URL: v('TEAMS_TERMS_URL'),
    PACKAGE_VERSION: pkg.version,
    'brand.name': brand.name,
    'brand.assistantName': brand.assistantName,
    'brand.appName': brand.appName,
    'brand.colors.primary': brand.colors.primary,
  };
}

const HOW_TO_SET: Record<string, string> = {
  MicrosoftAppId: 'set MicrosoftAppId to the Azure Bot\'s Microsoft App ID (a GUID)',
  TEAMS_APP_ID: 'set TEAMS_APP_ID (a GUID) or MicrosoftAppId',
  TEAMS_WEBSITE_URL: 'set TEAMS_WEBSITE_URL (https) or `website` in data/brand.yml',
  TEAMS_PRIVACY_URL: 'set TEAMS_PRIVACY_URL to the privacy statement (https)',
  TEAMS_TERMS_URL: 'set TEAMS_TERMS_URL to the terms of use (https)',
};

/** Fills `{{name}}` placeholders in every string of the manifest; unknown or empty ones become problems. */
export function fillPlaceholders(value: unknown, values: Record<string, string | undefined>, problems: string[], path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => {
      const v = values[name];
      if (v !== undefined) return v;
      problems.push(name in values
        ? `${path || '/'}: placeholder {{${name}}} has no value: ${HOW_TO_SET[name] ?? `set ${name}`}`
        : `${path || '/'}: unknown placeholder {{${name}}} (known: ${Object.keys(values).join(', ')})`);
      return whole;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => fillPlaceholders(v, values, problems, `${path}/${i}`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillPlaceholders(v, values, problems, `${path}/${k}`)]));
  }
  return value;
}

/** The manifest JSON schema for a `manifestVersion`, from the installed `@microsoft/app-manifest`. */
export function schemaFile(manifestVersion: string): string {
  return join(ROOT, 'node_modules', '@microsoft', 'app-manifest', 'build', 'json-schemas', 'teams', `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
}

/** Validates a filled manifest against its schema; returns readable problems (empty when valid). */
export function validateManifest(manifest: Record<string, unknown>): string[] {
  const version = manifest.manifestVersion;
  if (typeof version !== 'string' || !/^\d+\.\d+$|^devPreview$/.test(version)) return ['/manifestVersion: missing or not a version like "1.30"'];
  const file = schemaFile(version);
  if (!existsSync(file)) return [`/manifestVersion: no schema for version ${version} in @microsoft/app-manifest (looked for ${relative(ROOT, file)})`];
  const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  // The Teams schemas declare draft-04 but use only keywords that mean the same in ajv's default
  // draft-07 (no boolean exclusiveMaximum, no `id` keyword), so the meta-schema reference is dropped.
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => {
    const extra = e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})`
      : e.params && 'additionalProperty' in e.params ? ` ("${e.params.additionalProperty}")` : '';
    return `${e.instancePath || '/'}: ${e.message}${extra}`;
  });
}

const ICONS: Record<string, { width: number; height: number; transparent: boolean }> = {
  color: { width: 192, height: 192, transparent: false },
  outline: { width: 32, height: 32, transparent: true },
};

function checkIcons(dir: string, manifest: Record<string, any>, problems: string[]): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const [kind, want] of Object.entries(ICONS)) {
    const name = manifest.icons?.[kind];
    if (typeof name !== 'string') continue; // the schema reports the missing icon
    const path = resolve(dir, name);
    if (relative(dir, path).startsWith('..')) { problems.push(`/icons/${kind}: "${name}" must be inside the package folder`); continue; }
    if (!existsSync(path)) { problems.push(`/icons/${kind}: file "${name}" not found in ${relative(ROOT, dir) || '.'}`); continue; }
    const data = readFileSync(path);
    try {
      const info = pngInfo(data);
      if (info.width !== want.width || info.height !== want.height) problems.push(`/icons/${kind}: "${name}" is ${info.width}x${info.height}, Teams needs ${want.width}x${want.height}`);
      if (want.transparent && info.colorType !== 6) problems.push(`/icons/${kind}: "${name}" needs a transparent background (RGBA PNG)`);
    } catch { problems.push(`/icons/${kind}: "${name}" is not a PNG file`); }
    files[name] = data;
  }
  return files;
}

/** Builds and writes the Teams app zip; throws `ManifestError` (nothing written) when the manifest is not valid. */
export async function buildTeamsPackage(options: PackageOptions = {}): Promise<{ out: string; manifest: Record<string, unknown> }> {
  const dir = resolve(options.dir ?? join(ROOT, 'teams'));
  const out = resolve(options.out ?? join(ROOT, 'dist', 'teams-app.zip'));
  const file = join(dir, 'manifest.json');
  const shown = relative(process.cwd(), file) || file;
  let raw: unknown;
  try { raw = JSON.parse(readFileSync(file, 'utf8')); } catch (e) { throw new ManifestError(shown, [`cannot read it as JSON: ${(e as Error).message}`]); }
  const problems: string[] = [];
  const manifest = fillPlaceholders(raw, placeholderValues(options.env ?? process.env), problems) as Record<string, any>;
  problems.push(...validateManifest(manifest));
  // The schema accepts http; Teams only accepts https pages for the developer links.
  for (const k of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) {
    const url = manifest.developer?.[k];
    if (typeof url === 'string' && /^http:\/\//i.test(url)) problems.push(`/developer/${k}: Teams needs an https URL, got "${url}"`);
  }
  const icons = checkIcons(dir, manifest, problems);
  if (problems.length) throw new ManifestError(shown, problems);

  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [name, data] of Object.entries(icons)) zip.file(name, data);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return { out, manifest };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const { out, manifest } = await buildTeamsPackage({ dir: arg('--dir'), out: arg('--out') });
    console.log(`Teams app package written: ${relative(process.cwd(), out) || out} (manifest ${String(manifest.manifestVersion)}, bot ${String((manifest.bots as any[])?.[0]?.botId)})`);
  } catch (e) {
    console.error(e instanceof ManifestError ? e.message : `Could not build the Teams package: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
