import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server, Request, Response, Next } from 'restify';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { Brand } from '../content/content.js';
import { readYamlFile } from '../content/yamlFile.js';
import { PUBLIC_DIR, securityHeaders } from '../web/routes.js';

/** The desk's words (`data/desk.yml`): nested groups of strings, flattened to `group.key`. */
type Labels = Record<string, string>;
const LabelTree: z.ZodType<Record<string, unknown>> = z.record(z.string(), z.union([z.string().min(1), z.lazy(() => LabelTree)]));

/** Reads and checks `data/desk.yml` (or another labels `file`; a mistake stops start-up naming the file and key). */
export function loadDeskLabels(contentDir: string, file = 'desk.yml'): Labels {
  const tree = readYamlFile(join(contentDir, file), LabelTree);
  const out: Labels = {};
  const walk = (prefix: string, t: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(t)) {
      if (typeof v === 'string') out[prefix + k] = v;
      else walk(`${prefix}${k}.`, v as Record<string, unknown>);
    }
  };
  walk('', tree);
  return out;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The agent desk page (`GET /desk`) and its script and styles, with the same security headers as
 * the support page (a CSP with no inline script, nosniff, no referrer, framing by this origin
 * only). Labels come from `data/desk.yml`; the brand's name and colours from `data/brand.yml`.
 */
export function mountDeskPage(deps: { server: Server; config: Config; brand: Brand; contentDir: string }): void {
  const { server, config, brand } = deps;
  const labels = loadDeskLabels(deps.contentDir);
  const vars: Record<string, string> = {
    ...Object.fromEntries(Object.entries(labels).map(([k, v]) => [`label.${k}`, escapeHtml(v)])),
    name: escapeHtml(brand.name), initial: escapeHtml(brand.name.charAt(0)),
    primary: brand.colors.primary, onPrimary: brand.colors.onPrimary, background: brand.colors.background,
    labelsJson: escapeHtml(JSON.stringify(labels)),
  };
  const fill = (t: string) => t.replace(/\{\{([\w.]+)\}\}/g, (m, k: string) => {
    if (!(k in vars)) throw new Error(`[mountDeskPage]: public/desk.html uses {{${k}}}, which data/desk.yml does not have`);
    return vars[k];
  });
  const page = Buffer.from(fill(readFileSync(join(PUBLIC_DIR, 'desk.html'), 'utf8')));
  const assets: Record<string, { body: Buffer; type: string }> = {
    'desk.js': { body: readFileSync(join(PUBLIC_DIR, 'desk.js')), type: 'application/javascript; charset=utf-8' },
    'desk.css': { body: readFileSync(join(PUBLIC_DIR, 'desk.css')), type: 'text/css; charset=utf-8' },
  };

  server.get('/desk', (req: Request, res: Response, next: Next) => {
    securityHeaders(req, res, config, false);
    res.setHeader('cache-control', 'no-cache');
    send(res, 'text/html; charset=utf-8', page);
    return next(false);
  });
  server.get('/desk/:asset', (req: Request, res: Response, next: Next) => {
    const a = assets[String(req.params.asset)];
    securityHeaders(req, res, config, false);
    if (!a || !Object.hasOwn(assets, String(req.params.asset))) {
      res.send(404, { code: 'NotFound', message: `No desk file ${String(req.params.asset).slice(0, 60)}.` });
      return next(false);
    }
    res.setHeader('cache-control', 'no-cache');
    send(res, a.type, a.body);
    return next(false);
  });
}

function send(res: Response, type: string, body: Buffer): void {
  res.writeHead(200, { 'content-type': type, 'content-length': body.length });
  res.end(body);
}
