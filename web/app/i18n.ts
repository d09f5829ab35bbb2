import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Chinese first, English on request. Each area of the app registers its own messages
 * (`registerMessages`), so pages stay independent; the choice is remembered in localStorage.
 */
export type Lang = 'zh-CN' | 'en';
export type Messages = Record<string, string>;

const LANG_KEY = 'sc.lang';
const dictionaries: Record<Lang, Messages> = { 'zh-CN': {}, en: {} };
const hosts = new Set<ReactiveControllerHost>();

let lang: Lang = (() => {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
})();
document.documentElement.lang = lang;

export function registerMessages(messages: { zh: Messages; en: Messages }): void {
  Object.assign(dictionaries['zh-CN'], messages.zh);
  Object.assign(dictionaries.en, messages.en);
}

export function currentLang(): Lang {
  return lang;
}

export function setLang(next: Lang): void {
  lang = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(LANG_KEY, next);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  for (const host of hosts) host.requestUpdate();
}

/** The message for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const text = dictionaries[lang][key] ?? dictionaries['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** Re-renders its host when the language changes. */
export class LocaleController implements ReactiveController {
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  hostConnected(): void {
    hosts.add(this.host);
  }
  hostDisconnected(): void {
    hosts.delete(this.host);
  }
}
