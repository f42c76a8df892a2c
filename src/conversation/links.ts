import type { Link } from '../channels/render.js';
import type { Content } from '../content/content.js';

/** Pages a reply can link to; each has a URL in `data/brand.yml` (`links.<id>`) and a title at `link.<id>`. */
export const LINK_IDS = [
  'sign_in', 'forgot_password', 'forgot_username', 'app_store', 'google_play', 'store_locator', 'contact_page', 'help_center',
  'account', 'coverage_map',
] as const;
export type LinkId = (typeof LINK_IDS)[number];

/**
 * The links for these pages whose URL is configured. An empty URL gives no link at all (the
 * reply's words already say where to look), so a customer never sees a broken or empty link.
 * The contact page may also be set as the older top-level `contactPage`.
 */
export function pageLinks(content: Content, ids: readonly LinkId[] = []): Link[] {
  return ids.flatMap((id) => {
    const url = (content.brand.links[id] ?? '').trim() || (id === 'contact_page' ? content.brand.contactPage.trim() : '');
    return url ? [{ title: content.text(`link.${id}`), url }] : [];
  });
}
