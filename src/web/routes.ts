import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server, Request, Response, Next } from 'restify';
import type { Config } from '../config.js';
import type { Brand, Content } from '../content/content.js';
import { acceptedLanguage, DEFAULT_LANGUAGE, type Language } from '../content/languages.js';
import { ROOT } from '../config.js';

/** Where the page, its script and the embed script live. */
export const PUBLIC_DIR = join(ROOT, 'public');

export interface WebDeps {
  server: Server;
  config: Config;
  brand: Brand;
  /** The page's words (`web.*` keys) in every language the content has. */
  content: Content;
}

/**
 * The page's language: `?lang=` (the language switch, the embed script), else the browser's
 * Accept-Language (which it derives from the same preferences as `navigator.languages`, so the
 * first paint is already right), else English. The page script then applies a choice the visitor
 * made before, or `navigator.languages`.
 */
export function pageLanguage(query: unknown, acceptLanguage: string | undefined, available: readonly Language[]): Language {
  const asked = (query as Record<string, unknown> | undefined)?.lang;
  if (typeof asked === 'string' && (available as readonly string[]).includes(asked)) return asked as Language;
  return acceptedLanguage(acceptLanguage, available) ?? DEFAULT_LANGUAGE;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON safe inside a script (no `</script>`, no line separators). */
const jsString = (s: string) => JSON.stringify(s).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** The Web Chat browser bundle shipped in the installed `botframework-webchat` package (no CDN). */
export function webChatBundlePath(): string {
  // the package's `exports` hide its dist folder from require.resolve, so it is found by path
  return join(ROOT, 'node_modules', 'botframework-webchat', 'dist', 'webchat.js');
}

/**
 * The support page (`GET /`, and `/?embed=1` inside the floating widget's iframe), its assets
 * and `GET /embed.js`, branded from `data/brand.yml`. Every response carries security headers;
 * the page's CSP allows only this origin (plus Azure Direct Line when configured).
 */
export function mountWeb(deps: WebDeps): void {
  const { server, config, brand, content } = deps;
  const template = readFileSync(join(PUBLIC_DIR, 'index.html'), 'utf8');
  const embedTemplate = readFileSync(join(PUBLIC_DIR, 'embed.js'), 'utf8');
  const assets: Record<string, { file: string; type: string }> = {
    'chat.js': { file: join(PUBLIC_DIR, 'chat.js'), type: 'application/javascript; charset=utf-8' },
    'chat.css': { file: join(PUBLIC_DIR, 'chat.css'), type: 'text/css; charset=utf-8' },
    'webchat.js': { file: webChatBundlePath(), type: 'application/javascript; charset=utf-8' },
    'icon.svg': { file: '', type: 'image/svg+xml' },
  };
  const cache = new Map<string, Buffer>();
  // the brand's initial on its colour: a favicon without an image file to keep in step with brand.yml
  cache.set('icon.svg', Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="${brand.colors.primary}"/>`
    + `<text x="16" y="23" font-family="sans-serif" font-size="20" font-weight="700" text-anchor="middle" fill="${brand.colors.onPrimary}">${escapeHtml(brand.name.charAt(0))}</text></svg>`));
  const asset = (name: string) => {
    let b = cache.get(name);
    if (!b) cache.set(name, (b = readFileSync(assets[name].file)));
    return b;
  };
  asset('webchat.js'); // fail at start-up, not on the first visitor, when the bundle is missing

  const vars: Record<string, string> = {
    name: escapeHtml(brand.name),
    assistantName: escapeHtml(brand.assistantName),
    appName: escapeHtml(brand.appName),
    initial: escapeHtml(brand.name.charAt(0)),
    primary: brand.colors.primary,
    onPrimary: brand.colors.onPrimary,
    background: brand.colors.background,
    brandJson: escapeHtml(JSON.stringify({ name: brand.name, primary: brand.colors.primary, onPrimary: brand.colors.onPrimary })),
  };
  const fill = (t: string, v: Record<string, string>) => t.replace(/\{\{([\w.]+)\}\}/g, (m, k: string) => v[k] ?? m);
  // the page's words per language, from the content files (web.*)
  const languages = content.languages;
  const words = Object.fromEntries(languages.map((l) => [l, webWords(content, l)])) as Record<Language, Record<string, string>>;
  const stringsJson = escapeHtml(JSON.stringify(words));
  const pages = Object.fromEntries(languages.map((l) => {
    const v: Record<string, string> = { ...vars, stringsJson, lang: l, otherLang: languages.find((o) => o !== l) ?? l };
    for (const [k, text] of Object.entries(words[l])) v[k] = escapeHtml(text);
    return [l, { full: Buffer.from(fill(template, { ...v, htmlClass: '' })), embed: Buffer.from(fill(template, { ...v, htmlClass: 'embed' })) }];
  })) as Record<Language, { full: Buffer; embed: Buffer }>;

  server.get('/', (req: Request, res: Response, next: Next) => {
    const embed = (req.query as Record<string, unknown> | undefined)?.embed === '1';
    const lang = pageLanguage(req.query, req.headers['accept-language'], languages);
    securityHeaders(req, res, config, embed);
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('vary', 'Accept-Language');
    res.setHeader('content-language', lang);
    send(res, 200, 'text/html; charset=utf-8', embed ? pages[lang].embed : pages[lang].full);
    return next(false);
  });

  server.get('/static/:name', (req: Request, res: Response, next: Next) => {
    const name = req.params.name as string;
    if (!Object.hasOwn(assets, name)) {
      res.send(404, { code: 'NotFound', message: `No static file ${name}.` });
      return next(false);
    }
    securityHeaders(req, res, config, false);
    res.setHeader('cache-control', name === 'webchat.js' ? 'public, max-age=86400' : 'no-cache');
    send(res, 200, assets[name].type, asset(name));
    return next(false);
  });

  server.get('/embed.js', (req: Request, res: Response, next: Next) => {
    const origin = `${req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
    const body = fill(embedTemplate, {
      origin: jsString(origin).slice(1, -1),
      stringsJson: jsString(JSON.stringify(Object.fromEntries(languages.map((l) => [l, { button: words[l]['web.embed_button'], close: words[l]['web.embed_close'], title: words[l]['web.site_name'], frameTitle: words[l]['web.embed_frame_title'] }])))),
      nameJson: jsString(brand.name),
      primaryJson: jsString(brand.colors.primary),
      onPrimaryJson: jsString(brand.colors.onPrimary),
    });
    securityHeaders(req, res, config, false);
    // website owners load this from their own pages
    res.setHeader('cross-origin-resource-policy', 'cross-origin');
    res.setHeader('cache-control', 'public, max-age=300');
    send(res, 200, 'application/javascript; charset=utf-8', Buffer.from(body));
    return next(false);
  });
}

function send(res: Response, status: number, type: string, body: Buffer): void {
  res.writeHead(status, { 'content-type': type, 'content-length': body.length });
  res.end(body);
}

/**
 * CSP: scripts and styles only from this origin (Web Chat injects its styles at run time, hence
 * 'unsafe-inline' for styles only), connections to this origin's HTTP and WebSocket endpoints
 * (and Azure Direct Line when configured). The embed page may be framed by the allowed origins.
 */
export function securityHeaders(req: Request, res: Response, config: Config, embed: boolean): void {
  const host = /^[A-Za-z0-9.:[\]-]+$/.test(req.headers.host ?? '') ? req.headers.host : undefined;
  const connect = ["'self'"];
  if (host) connect.push(`ws://${host}`, `wss://${host}`);
  if (config.directLine.azureSecret) {
    const u = new URL(config.directLine.azureDomain);
    connect.push(u.origin, `wss://${u.host}`);
  }
  const ancestors = !embed ? "'self'" : config.directLine.allowedOrigins.length ? ["'self'", ...config.directLine.allowedOrigins].join(' ') : '*';
  res.setHeader('content-security-policy', [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; '));
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  if (!embed) res.setHeader('x-frame-options', 'SAMEORIGIN');
}

/** Every `web.*` message of one language, placeholders filled, keyed as in the template (`web.title`). */
function webWords(content: Content, language: Language): Record<string, string> {
  const w = content.in(language);
  return Object.fromEntries(w.keys().filter((k) => k.startsWith('web.')).map((k) => [k, w.text(k)]));
}
