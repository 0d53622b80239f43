/**
 * jsdom has no layout engine: every element measures 0×0, so a virtualised list would render no
 * rows. Give elements a viewport-like size (the browser tests cover real layout).
 */
Object.defineProperty(HTMLElement.prototype, "offsetHeight", { configurable: true, get: () => 400 });
Object.defineProperty(HTMLElement.prototype, "offsetWidth", { configurable: true, get: () => 600 });
Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 400 });
HTMLElement.prototype.scrollTo = function scrollTo() {};
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;
