import { expect } from 'chai';
import { mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { Content, ContentError } from '../../src/content/content.js';
import { loadConfig } from '../../src/config.js';
import { tempDir } from '../support/server.js';

describe('content files', () => {
  const config = loadConfig({});

  it('load and fill brand placeholders', () => {
    const c = Content.load(config.contentDir);
    expect(c.text('goodbye.ask_solved')).to.include(c.brand.name).and.not.include('{brand.');
  });

  it('leave no unresolved {brand.*} placeholder in any message', () => {
    const c = Content.load(config.contentDir);
    for (const k of c.keys()) for (const v of c.list(k)) expect(v, k).to.not.match(/\{brand\./);
  });

  it('name the file and key of an empty message', () => {
    const dir = tempDir();
    copyFileSync(join(config.contentDir, 'brand.yml'), join(dir, 'brand.yml'));
    writeFileSync(join(dir, 'messages.yml'), 'welcome:\n  greeting: ""\n');
    expect(() => Content.load(dir)).to.throw(ContentError, /messages\.yml: welcome\.greeting: is empty/);
  });

  it('name the file and key of a bad brand colour', () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'brand.yml'), 'name: X\nassistantName: X\nappName: X app\ncolors: {primary: red, onPrimary: "#FFFFFF", background: "#FFFFFF"}\nwebsite: ""\ncontactPage: ""\nphone: ""\nphoneHours: ""\nemail: ""\nsocial: {}\n');
    writeFileSync(join(dir, 'messages.yml'), 'a: b\n');
    expect(() => Content.load(dir)).to.throw(ContentError, /brand\.yml: colors\.primary/);
  });

  it('throws for an unknown key instead of sending nothing', () => {
    const c = Content.load(config.contentDir);
    expect(() => c.text('no.such.key')).to.throw(/no message with key "no.such.key"/);
  });
});
