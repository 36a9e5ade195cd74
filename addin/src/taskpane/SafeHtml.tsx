import { createElement, type ReactNode } from "react";

// Renders a meeting body without injecting its HTML: the markup is parsed (never run) and only
// plain text and a few harmless elements are rebuilt as React elements.
const ALLOWED = new Set(["p", "div", "h1", "h2", "h3", "h4", "ul", "ol", "li", "b", "strong", "i", "em", "br", "hr", "span", "a"]);
/** The body's own headings sit below the panel's heading level. */
const HEADING: Record<string, string> = { h1: "h4", h2: "h4", h3: "h5", h4: "h6" };

function rebuild(node: Node, key: string): ReactNode {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const el = node as Element;
  const tag = el.tagName.toLowerCase();
  const children = Array.from(el.childNodes, (c, i) => rebuild(c, `${key}.${i}`));
  if (!ALLOWED.has(tag)) return createElement("span", { key }, ...children);
  if (tag === "br" || tag === "hr") return createElement(tag, { key });
  if (tag === "a") {
    const href = el.getAttribute("href") ?? "";
    return /^https?:\/\//i.test(href) ? createElement("a", { key, href, target: "_blank", rel: "noreferrer" }, ...children) : createElement("span", { key }, ...children);
  }
  return createElement(HEADING[tag] ?? tag, { key }, ...children);
}

export function SafeHtml({ html }: { html: string }) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  return <>{Array.from(doc.body.childNodes, (n, i) => rebuild(n, String(i)))}</>;
}
