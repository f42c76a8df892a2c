import { expect } from 'chai';
import { Content, ContentError } from '../../src/content/content.js';
import { caseSummary, oneLine, SUMMARY_MAX, type SummaryInput } from '../../src/conversation/summary.js';
import { pageLinks, LINK_IDS } from '../../src/conversation/links.js';
import { config, content } from './harness.js';
import { copyOfData, edit } from '../support/contentCopy.js';
import { join } from 'node:path';

/** `[what happened, input, the summary must say]`: summaries say what actually happened. */
const TABLE: Array<[string, SummaryInput, string]> = [
  ['one of five sign-in steps failed', { intent: 'login_help', progress: { platform: 'website', walk: { total: 5, shown: 2, failed: 1 } } },
    'Cannot sign in on the website; tried 1 of 5 troubleshooting steps without success'],
  ['every step failed', { intent: 'login_help', progress: { platform: 'app', walk: { total: 5, shown: 5, failed: 5 } } },
    'Cannot sign in in the T-Mobile app; tried all 5 troubleshooting steps without success'],
  ['a person asked for at the first step, before answering it', { intent: 'app_install', progress: { platform: 'ios', walk: { total: 5, shown: 1, failed: 0 } } },
    'App install or app problem on an iPhone or iPad; stopped at troubleshooting step 1 of 5'],
  ['no troubleshooting, the customer\'s words kept', { intent: 'billing', progress: { request: 'explain the charges' } },
    'Billing question. Customer wrote: "explain the charges"'],
  ['a specific request replaces the topic line', { intent: 'plan_change', progress: { subtopic: 'cancel_service', request: 'I want to cancel my service' } },
    'Wants to cancel service. Customer wrote: "I want to cancel my service"'],
  ['what the customer described wins', { intent: 'escalate', progress: { request: 'talk to a person' }, described: 'my bill doubled' }, 'my bill doubled'],
  ['an unknown intent reads as a request for a person', { intent: 'something_new', progress: {} }, 'Customer asked for a person'],
];

describe('case summaries', () => {
  for (const [what, input, expected] of TABLE) it(what, () => expect(caseSummary(content, input)).to.equal(expected));

  it('a long request is cut to fit, keeping the topic and the steps', () => {
    const s = caseSummary(content, { intent: 'login_help', progress: { platform: 'website', walk: { total: 5, shown: 3, failed: 2 }, request: 'x'.repeat(500) } });
    expect(s.length).to.be.at.most(SUMMARY_MAX);
    expect(s).to.match(/^Cannot sign in on the website; tried 2 of 5 troubleshooting steps without success\. Customer wrote: "x+…/);
  });

  it('oneLine flattens whitespace and marks a cut', () => {
    expect(oneLine('a\n\n b   c')).to.equal('a b c');
    expect(oneLine('abcdef', 4)).to.equal('abc…');
  });
});

describe('page links', () => {
  it('shows only pages whose address is set; the contact page may also come from contactPage', () => {
    const c = Content.load(config.contentDir);
    Object.assign(c, { brand: { ...c.brand, contactPage: 'https://example.com/contact', links: { ...c.brand.links, sign_in: 'https://example.com/signin', help_center: '' } } });
    expect(pageLinks(c, ['sign_in', 'help_center', 'contact_page'])).to.deep.equal([
      { title: c.text('link.sign_in'), url: 'https://example.com/signin' },
      { title: c.text('link.contact_page'), url: 'https://example.com/contact' },
    ]);
    expect(pageLinks(content, [...LINK_IDS])).to.deep.equal([]);
  });

  it('a page address that is not https stops start-up, naming the key', () => {
    const dir = copyOfData();
    edit(join(dir, 'brand.yml'), (t) => t.replace('sign_in: ""', 'sign_in: "javascript:alert(1)"'));
    expect(() => Content.load(dir)).to.throw(ContentError, /brand\.yml: links\.sign_in: must be empty or an https:\/\/ URL/);
  });
});
