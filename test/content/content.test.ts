import { expect } from 'chai';
import { mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { Content, ContentError } from '../../src/content/content.js';
import { loadConfig } from '../../src/config.js';
import { tempDir } from '../support/server.js';
import { copyOfData, edit } from '../support/contentCopy.js';

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

describe('reading a YAML file staff edit', () => {
  it('a syntax error or a key given twice stops the load, naming the file and the line', () => {
    const dir = copyOfData();
    edit(join(dir, 'messages.yml'), (t) => t.replace('cancel:\n', 'cancel:\n    misindented: "x"\n  back: "y"\n'));
    expect(() => Content.load(dir)).to.throw(ContentError, /messages\.yml: \(yaml\): bad indentation of a mapping entry \(\d+:\d+\)/);
    const dir2 = copyOfData();
    edit(join(dir2, 'brand.yml'), (t) => `${t}\nphone: "twice"\n`);
    expect(() => Content.load(dir2)).to.throw(ContentError, /brand\.yml: \(yaml\): duplicated mapping key/);
  });

  it('reads YAML 1.2 core types: a date or "yes" stays text, so a schema of strings accepts them', () => {
    const dir = copyOfData();
    for (const f of ['messages.yml', 'es/messages.yml']) edit(join(dir, f), (t) => t.replace('cancel:\n', 'cancel:\n  when_text: 2026-11-26\n  yes_text: yes\n'));
    const content = Content.load(dir);
    expect(content.text('cancel.when_text')).to.equal('2026-11-26');
    expect(content.text('cancel.yes_text')).to.equal('yes');
  });
});
