import { registerMessages } from '../app/i18n.ts';

/** The searchable select (web/components/search-select.ts): its own few words. */
registerMessages({
  zh: {
    'pick.placeholder': '输入姓名或单位筛选',
    'pick.none': '没有符合的选项',
    'pick.more': '另有 {n} 项，请输入更多文字缩小范围',
    'pick.clear': '清除所选',
  },
  en: {
    'pick.placeholder': 'Type a name or organisation',
    'pick.none': 'Nothing matches',
    'pick.more': '{n} more: type more to narrow the list',
    'pick.clear': 'Clear the choice',
  },
});
