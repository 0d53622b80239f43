#!/usr/bin/env node
/**
 * `node scripts/bundle-size.mjs`: the dashboard bundle's size after `npm run build` — every JS and
 * CSS file in client/dist/assets, raw and gzip, and the entry chunk the first page load needs.
 */
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const dir = new URL("../client/dist/assets/", import.meta.url);
const html = readFileSync(new URL("../client/dist/index.html", import.meta.url), "utf8");
const files = readdirSync(dir).filter((f) => /\.(js|css)$/.test(f));
const sizes = files.map((f) => {
  const body = readFileSync(new URL(f, dir));
  return { file: f, raw: body.length, gzip: gzipSync(body).length, entry: html.includes(`/assets/${f}`) };
});
const sum = (list, key) => list.reduce((n, s) => n + s[key], 0);
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const entry = sizes.filter((s) => s.entry);
console.log(
  JSON.stringify(
    {
      files: sizes.length,
      total: { raw: kb(sum(sizes, "raw")), gzip: kb(sum(sizes, "gzip")) },
      entry: { raw: kb(sum(entry, "raw")), gzip: kb(sum(entry, "gzip")) },
      largest: sizes
        .sort((a, b) => b.gzip - a.gzip)
        .slice(0, 6)
        .map((s) => `${s.file} ${kb(s.gzip)} gz`),
    },
    null,
    2,
  ),
);
