import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server, Request, Response, Next } from 'restify';
import type { Config } from '../config.js';
import { ROOT } from '../config.js';
import type { Brand } from '../content/content.js';
import { INTENTS } from '../nlu/intents.js';
import { loadDeskLabels } from '../desk/page.js';
import { PUBLIC_DIR, securityHeaders } from '../web/routes.js';

/** Chart.js's browser build, from the installed `chart.js` package (served by the bot: no CDN). */
export function chartJsPath(): string {
  return join(ROOT, 'node_modules', 'chart.js', 'dist', 'chart.umd.min.js');
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The supervisors' pages: `/desk/insights` (the figures as charts, CSV export) and
 * `/desk/review` (the review queue), with their scripts, styles and Chart.js, under the desk's
 * security headers (a CSP with scripts from this origin only, none inline). The pages hold no
 * data: they sign in with a desk session and read the supervisors' API, which checks the role.
 * Their words are in `data/insights.yml`.
 */
export function mountSupervisorPages(deps: { server: Server; config: Config; brand: Brand; contentDir: string }): void {
  const { server, config, brand } = deps;
  const labels = loadDeskLabels(deps.contentDir, 'insights.yml');
  const vars: Record<string, string> = {
    ...Object.fromEntries(Object.entries(labels).map(([k, v]) => [`label.${k}`, escapeHtml(v)])),
    name: escapeHtml(brand.name), initial: escapeHtml(brand.name.charAt(0)),
    primary: brand.colors.primary, onPrimary: brand.colors.onPrimary, background: brand.colors.background,
    labelsJson: escapeHtml(JSON.stringify(labels)), intentsJson: escapeHtml(JSON.stringify(INTENTS)),
  };
  const fill = (file: string) => Buffer.from(readFileSync(join(PUBLIC_DIR, file), 'utf8').replace(/\{\{([\w.]+)\}\}/g, (m, k: string) => {
    if (!(k in vars)) throw new Error(`[mountSupervisorPages]: public/${file} uses {{${k}}}, which data/insights.yml does not have`);
    return vars[k];
  }));
  const js = 'application/javascript; charset=utf-8';
  const files: Record<string, { body: Buffer; type: string }> = {
    '/desk/insights': { body: fill('insights.html'), type: 'text/html; charset=utf-8' },
    '/desk/review': { body: fill('review.html'), type: 'text/html; charset=utf-8' },
    '/desk/supervisor.css': { body: readFileSync(join(PUBLIC_DIR, 'supervisor.css')), type: 'text/css; charset=utf-8' },
    '/desk/supervisor.js': { body: readFileSync(join(PUBLIC_DIR, 'supervisor.js')), type: js },
    '/desk/insights.js': { body: readFileSync(join(PUBLIC_DIR, 'insights.js')), type: js },
    '/desk/review.js': { body: readFileSync(join(PUBLIC_DIR, 'review.js')), type: js },
    // read at start-up: a missing package stops the server, not the first supervisor
    '/desk/chart.js': { body: readFileSync(chartJsPath()), type: js },
  };
  for (const [path, file] of Object.entries(files)) {
    server.get(path, (req: Request, res: Response, next: Next) => {
      securityHeaders(req, res, config, false);
      res.setHeader('cache-control', 'no-cache');
      res.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length });
      res.end(file.body);
      return next(false);
    });
  }
}
