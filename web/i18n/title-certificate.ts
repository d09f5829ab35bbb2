import { registerMessages } from '../app/i18n.ts';

/** The craftsman's title certificate (web/pages/selections/title-certificate-page.ts). */
registerMessages({
  zh: {
    'sel.cert.heading': '荣誉证书',
    'sel.cert.lead': '兹授予',
    'sel.cert.middle': '同志',
    'sel.cert.end': '称号。',
    'sel.cert.closing': '特发此证，以资鼓励。',
    'sel.cert.number': '证书编号：{number}',
    'sel.cert.verify': '扫码查看命名名单',
    'sel.cert.print': '打印证书',
    'sel.cert.notFound': '命名名单中没有编号为 {number} 的证书',
    'sel.cert.open': '证书',
  },
  en: {
    'sel.cert.heading': 'Certificate of Honour',
    'sel.cert.lead': 'This certifies that ',
    'sel.cert.middle': ' is named ',
    'sel.cert.end': '.',
    'sel.cert.closing': 'Presented in recognition of outstanding craftsmanship.',
    'sel.cert.number': 'Certificate No. {number}',
    'sel.cert.verify': 'Scan to see the named list',
    'sel.cert.print': 'Print certificate',
    'sel.cert.notFound': 'No certificate numbered {number} is on the named list',
    'sel.cert.open': 'Certificate',
  },
});
