/**
 * The demo data set: an Anhui union tree down to Feixi county, one staff account per role,
 * two running competitions with marks part-way in and one competition with released results.
 *
 * Loaded by the db plugin in demo mode, only into an empty database (no organisations), in one
 * transaction. Every value is deterministic (a seeded generator), except the password salt and
 * the creation / code-issue times. Names, ID numbers and phone numbers are invented: the ID
 * numbers are valid by GB 11643-1999 (real area codes and birth dates, correct check character)
 * but belong to nobody known.
 */
import { and, eq, sql } from 'drizzle-orm';
import { criteriaOf, schemeSchema, type Scheme, type SchemeInput } from '../server/contracts/scheme.ts';
import { residentIdCheckChar } from '../server/domain/resident-id.ts';
import { hashPassword, tokenHash } from '../server/security.ts';
import type { Db } from './client.ts';
import { publicityEnd } from '../server/domain/working-days.ts';
import { workingCalendar } from '../server/features/calendar/calendar.service.ts';
import {
  accounts,
  auditLog,
  competitionCoOrganisers,
  competitionOfficers,
  competitions,
  entries,
  events,
  judgeAssignments,
  judges,
  panelSeats,
  marks,
  objectiveValues,
  organisations,
  orgSettings,
  people,
  roundEntries,
  rounds,
} from './schema.ts';
import { FEIXI_SUBSIDY_RATES } from '../server/contracts/subsidies.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Role = (typeof accounts.$inferInsert)['role'];
type OrgKind = (typeof organisations.$inferInsert)['kind'];
type OrgLevel = NonNullable<(typeof organisations.$inferInsert)['level']>;

// ---------------------------------------------------------------------------------------------
// What the README and the tests can list.

/** The password of every demo account. */
export const DEMO_PASSWORD = 'Demo@2026!';

/** One staff account per role (password {@link DEMO_PASSWORD}). */
export const DEMO_ACCOUNTS = [
  { username: 'admin', role: 'admin', org: '安徽省总工会', displayName: '省总工会系统管理员' },
  { username: 'organiser', role: 'organiser', org: '肥西县总工会', displayName: '肥西县总工会竞赛组织员' },
  { username: 'hr', role: 'hr_officer', org: '肥西县人力资源和社会保障局', displayName: '肥西县人社局职业能力建设科' },
  { username: 'studio', role: 'studio_officer', org: '肥西县总工会', displayName: '肥西县总工会创新工作室专员' },
  { username: 'viewer', role: 'viewer', org: '合肥市总工会', displayName: '合肥市总工会查阅员' },
  // Runs the city's craftsman selections (合肥工匠评选), with the city HR bureau co-organising.
  { username: 'hefei-organiser', role: 'organiser', org: '合肥市总工会', displayName: '合肥市总工会劳动和经济工作部' },
  { username: 'power-organiser', role: 'organiser', org: '安徽省总工会', displayName: '省总工会配电竞赛组委会' },
  // The encryption officer (加密裁判) of the 2026 Feixi competition: keeps the draw, sees who is behind each number.
  { username: 'encryptor', role: 'viewer', org: '肥西县总工会', displayName: '肥西县职工职业技能大赛加密裁判' },
] as const satisfies readonly { username: string; role: Role; org: string; displayName: string }[];

/**
 * Judge sign-in codes by event name: the chief judge's and the panel's (in panel order). The
 * competition's full name starts with its year (e.g. `2026年肥西县职工职业技能大赛`), which follows
 * the day the demo data is created.
 */
export const DEMO_JUDGE_CODES = {
  无人机驾驶: {
    competition: '肥西县职工职业技能大赛',
    chief: 'WRJCP001',
    judges: ['WRJ00001', 'WRJ00002', 'WRJ00003', 'WRJ00004', 'WRJ00005'],
  },
  消防救援: {
    competition: '肥西县职工职业技能大赛',
    chief: 'XFJYCP01',
    judges: ['XFJY0001', 'XFJY0002', 'XFJY0003', 'XFJY0004', 'XFJY0005'],
  },
  配电线路工: {
    competition: '皖北地区配电线路工技能竞赛',
    chief: 'PDXLCP01',
    judges: ['PDXL0001', 'PDXL0002', 'PDXL0003', 'PDXL0004', 'PDXL0005'],
  },
  电工: {
    competition: '肥西县电工技能竞赛',
    chief: 'DGJSCP01',
    judges: ['DGJS0001', 'DGJS0002', 'DGJS0003'],
  },
  焊工: {
    competition: '肥西县焊工技能竞赛',
    chief: 'HGJSCP01',
    judges: ['HGJS0001', 'HGJS0002', 'HGJS0003'],
  },
} as const;

/** Demo judge codes never expire (a real code expires with the competition). */
const CODE_EXPIRES_AT = new Date('2099-12-31T23:59:59+08:00');

// ---------------------------------------------------------------------------------------------
// Deterministic randomness.

/** mulberry32: a small seeded generator, so every start produces the same demo data. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    between: (lo: number, hi: number) => lo + next() * (hi - lo),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    shuffle: <T>(list: readonly T[]): T[] => {
      const out = [...list];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
  };
}
type Rng = ReturnType<typeof generator>;

const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗',
  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '蒋', '蔡', '余',
  '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔', '钟', '汪', '范', '金', '石', '夏', '方',
  '孔', '葛', '查', '桂', '储', '操', '鲍', '凤',
];
/** Given names: common two-character ones, and single characters. */
const MALE_GIVEN = [
  '建国', '志强', '俊杰', '海涛', '文博', '晓东', '立新', '宏伟', '永刚', '明辉', '浩然', '家豪', '国庆', '春雷', '振华',
  '学军', '卫东', '光辉', '德胜', '红兵', '子轩', '宇航', '俊峰', '伟东', '志刚', '文涛', '小龙', '大勇', '新民', '建军',
  '玉林', '长青', '金龙', '海军', '少华', '晓峰', '庆丰', '传宝', '先锋', '家乐', '东升', '锦程', '云飞', '世杰', '维新',
  '伟', '强', '磊', '军', '勇', '杰', '涛', '斌', '超', '明', '刚', '辉', '鹏', '飞', '鑫', '波', '健', '浩', '亮', '峰',
];
const FEMALE_GIVEN = [
  '秀英', '丽华', '晓燕', '雪梅', '玉兰', '静怡', '婷婷', '海燕', '春梅', '桂芳', '丽娟', '小红', '佳琪', '雨欣', '梦瑶',
  '晓玲', '文静', '艳芳', '慧敏', '思雨', '芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '燕', '玲', '婷', '颖', '倩', '琳',
];
const PHONE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '158', '159', '177', '180', '181', '182', '186', '187', '188', '189', '199'];

// ---------------------------------------------------------------------------------------------
// The organisation tree.

type OrgDef = { key: string; name: string; kind: OrgKind; level: OrgLevel | null; region: string; parent?: string };

const ORGS: OrgDef[] = [
  { key: 'acftu', name: '中华全国总工会', kind: 'union', level: 'national', region: '100000' },
  { key: 'anhui', name: '安徽省总工会', kind: 'union', level: 'province', region: '340000', parent: 'acftu' },
  // HR bureaus are a government line of their own, the union's peer at each level (not in its tree).
  { key: 'mohrss', name: '人力资源和社会保障部', kind: 'hr_bureau', level: 'national', region: '100000' },
  { key: 'anhuiHr', name: '安徽省人力资源和社会保障厅', kind: 'hr_bureau', level: 'province', region: '340000', parent: 'mohrss' },
  { key: 'sgccAnhui', name: '国网安徽省电力有限公司', kind: 'employer', level: 'enterprise', region: '340000', parent: 'anhui' },
  // Hefei and Feixi
  { key: 'hefei', name: '合肥市总工会', kind: 'union', level: 'city', region: '340100', parent: 'anhui' },
  { key: 'hefeiHr', name: '合肥市人力资源和社会保障局', kind: 'hr_bureau', level: 'city', region: '340100', parent: 'anhuiHr' },
  { key: 'hefeiFire', name: '合肥市消防救援支队', kind: 'employer', level: 'enterprise', region: '340100', parent: 'hefei' },
  { key: 'feixi', name: '肥西县总工会', kind: 'union', level: 'county', region: '340123', parent: 'hefei' },
  { key: 'feixiHr', name: '肥西县人力资源和社会保障局', kind: 'hr_bureau', level: 'county', region: '340123', parent: 'hefeiHr' },
  { key: 'feixiEmergency', name: '肥西县应急管理局', kind: 'department', level: 'county', region: '340123', parent: 'feixi' },
  { key: 'taohuaAdmin', name: '桃花工业园管委会', kind: 'department', level: 'township', region: '340123', parent: 'feixi' },
  { key: 'feixiSchool', name: '肥西县职业技术学校', kind: 'employer', level: 'enterprise', region: '340123', parent: 'feixi' },
  { key: 'feixiFire', name: '肥西县消防救援大队', kind: 'employer', level: 'enterprise', region: '340123', parent: 'feixi' },
  { key: 'feixiPower', name: '国网肥西县供电公司', kind: 'employer', level: 'enterprise', region: '340123', parent: 'feixi' },
  { key: 'taohua', name: '桃花工业园工会', kind: 'union', level: 'township', region: '340123', parent: 'feixi' },
  { key: 'xiangyu', name: '合肥翔宇无人机科技有限公司', kind: 'employer', level: 'enterprise', region: '340123', parent: 'taohua' },
  { key: 'huachuan', name: '安徽华川精密制造有限公司', kind: 'employer', level: 'enterprise', region: '340123', parent: 'taohua' },
  { key: 'dingli', name: '安徽鼎力钢结构工程有限公司', kind: 'employer', level: 'enterprise', region: '340123', parent: 'taohua' },
  { key: 'taohuaFire', name: '桃花工业园专职消防队', kind: 'employer', level: 'enterprise', region: '340123', parent: 'taohua' },
  { key: 'shangpai', name: '上派镇工会', kind: 'union', level: 'township', region: '340123', parent: 'feixi' },
  { key: 'shangpaiAgri', name: '上派镇农业综合服务站', kind: 'employer', level: 'enterprise', region: '340123', parent: 'shangpai' },
  { key: 'shangpaiFire', name: '上派镇专职消防队', kind: 'employer', level: 'enterprise', region: '340123', parent: 'shangpai' },
  { key: 'shangpaiBuild', name: '合肥上派建筑安装有限公司', kind: 'employer', level: 'enterprise', region: '340123', parent: 'shangpai' },
  { key: 'sanhe', name: '三河镇工会', kind: 'union', level: 'township', region: '340123', parent: 'feixi' },
  { key: 'sanheAgri', name: '三河镇农业综合服务站', kind: 'employer', level: 'enterprise', region: '340123', parent: 'sanhe' },
  { key: 'sanheFire', name: '三河镇专职消防队', kind: 'employer', level: 'enterprise', region: '340123', parent: 'sanhe' },
  { key: 'zipeng', name: '紫蓬镇工会', kind: 'union', level: 'township', region: '340123', parent: 'feixi' },
  { key: 'zipengFire', name: '紫蓬镇专职消防队', kind: 'employer', level: 'enterprise', region: '340123', parent: 'zipeng' },
  // Northern Anhui: five cities, two power-supply companies each (the ten delegations).
  { key: 'huaibei', name: '淮北市总工会', kind: 'union', level: 'city', region: '340600', parent: 'anhui' },
  { key: 'huaibeiPower', name: '国网淮北供电公司', kind: 'employer', level: 'enterprise', region: '340600', parent: 'huaibei' },
  { key: 'suixiPower', name: '国网濉溪县供电公司', kind: 'employer', level: 'enterprise', region: '340621', parent: 'huaibei' },
  { key: 'bozhou', name: '亳州市总工会', kind: 'union', level: 'city', region: '341600', parent: 'anhui' },
  { key: 'bozhouPower', name: '国网亳州供电公司', kind: 'employer', level: 'enterprise', region: '341600', parent: 'bozhou' },
  { key: 'guoyangPower', name: '国网涡阳县供电公司', kind: 'employer', level: 'enterprise', region: '341621', parent: 'bozhou' },
  { key: 'suzhou', name: '宿州市总工会', kind: 'union', level: 'city', region: '341300', parent: 'anhui' },
  { key: 'suzhouPower', name: '国网宿州供电公司', kind: 'employer', level: 'enterprise', region: '341300', parent: 'suzhou' },
  { key: 'dangshanPower', name: '国网砀山县供电公司', kind: 'employer', level: 'enterprise', region: '341321', parent: 'suzhou' },
  { key: 'bengbu', name: '蚌埠市总工会', kind: 'union', level: 'city', region: '340300', parent: 'anhui' },
  { key: 'bengbuPower', name: '国网蚌埠供电公司', kind: 'employer', level: 'enterprise', region: '340300', parent: 'bengbu' },
  { key: 'huaiyuanPower', name: '国网怀远县供电公司', kind: 'employer', level: 'enterprise', region: '340321', parent: 'bengbu' },
  { key: 'fuyang', name: '阜阳市总工会', kind: 'union', level: 'city', region: '341200', parent: 'anhui' },
  { key: 'fuyangPower', name: '国网阜阳供电公司', kind: 'employer', level: 'enterprise', region: '341200', parent: 'fuyang' },
  { key: 'linquanPower', name: '国网临泉县供电公司', kind: 'employer', level: 'enterprise', region: '341221', parent: 'fuyang' },
];

/** County / district codes people of an employer are born in (the ID number's area code). */
const HOME_AREAS: Record<string, string[]> = {
  feixi: ['340123', '340123', '340123', '340123', '340122', '340121', '340124'],
  huaibeiPower: ['340602', '340603', '340604', '340621'],
  suixiPower: ['340621', '340621', '340603'],
  bozhouPower: ['341602', '341623', '341622'],
  guoyangPower: ['341621', '341621', '341602'],
  suzhouPower: ['341302', '341322', '341324'],
  dangshanPower: ['341321', '341321', '341302'],
  bengbuPower: ['340302', '340303', '340304', '340311'],
  huaiyuanPower: ['340321', '340321', '340311'],
  fuyangPower: ['341202', '341203', '341204', '341222'],
  linquanPower: ['341221', '341221', '341225'],
};

// ---------------------------------------------------------------------------------------------
// Occupations (职业分类大典 codes) and scoring schemes.

const OCC = {
  drone: { code: '4-99-00-00', name: '无人机驾驶员' }, // code from the 2019 new-occupation notice
  fire: { code: '3-02-03-01', name: '消防员' },
  power: { code: '6-28-01-05', name: '配电线路工' },
  welder: { code: '6-18-02-04', name: '焊工' },
  electrician: { code: '6-31-01-03', name: '电工' },
};

const panel = { aggregation: { kind: 'trimmed_mean' as const, drop: 1 }, minMarks: 3, expectedMarks: 5 };
const theory = (weight: number): SchemeInput['parts'][number] => ({
  id: 'theory',
  name: '理论知识考试',
  role: 'theory',
  weight,
  max: 100,
  marking: 'objective',
});

const DRONE_SCHEME: SchemeInput = {
  totaling: 'weighted',
  parts: [
    theory(30),
    {
      id: 'flight',
      name: '飞行操控（8字绕飞与定点悬停）',
      role: 'practical',
      weight: 40,
      max: 100,
      marking: 'rubric',
      criteria: [
        { id: 'fl_preflight', name: '飞行前检查与起飞', max: 15, step: 0.5 },
        { id: 'fl_figure8', name: '8字绕飞航迹', max: 40, step: 0.5 },
        { id: 'fl_hover', name: '定点悬停与精准降落', max: 30, step: 0.5 },
        { id: 'fl_safety', name: '安全操作规范', max: 15, step: 0.5 },
      ],
      ...panel,
    },
    {
      id: 'mission',
      name: '航拍巡检任务与数据处理',
      role: 'practical',
      weight: 30,
      max: 100,
      marking: 'rubric',
      criteria: [
        { id: 'ms_planning', name: '航线规划', max: 30, step: 0.5 },
        { id: 'ms_imagery', name: '影像采集质量', max: 40, step: 0.5 },
        { id: 'ms_report', name: '数据处理与成果提交', max: 30, step: 0.5 },
      ],
      ...panel,
    },
  ],
  tieBreaks: ['completion_time', 'practical', 'theory'],
};

const FIRE_SCHEME: SchemeInput = {
  totaling: 'weighted',
  parts: [
    theory(30),
    {
      id: 'gear',
      name: '个人防护装备穿戴及水带连接（扣分制）',
      role: 'practical',
      weight: 35,
      max: 100,
      marking: 'deduction',
      criteria: [
        { id: 'gr_dress', name: '着装及装备穿戴缺漏', max: 30, step: 0.5 },
        { id: 'gr_hose', name: '水带连接与铺设失误', max: 30, step: 0.5 },
        { id: 'gr_procedure', name: '操作程序不规范', max: 25, step: 0.5 },
        { id: 'gr_overtime', name: '超时', max: 15, step: 0.5 },
      ],
      ...panel,
    },
    {
      id: 'rescue',
      name: '破拆救援综合操',
      role: 'practical',
      weight: 35,
      max: 100,
      marking: 'rubric',
      criteria: [
        { id: 'rs_tools', name: '器材选择与准备', max: 20, step: 0.5 },
        { id: 'rs_breach', name: '破拆操作', max: 35, step: 0.5 },
        { id: 'rs_casualty', name: '伤员救护与转移', max: 30, step: 0.5 },
        { id: 'rs_team', name: '协同配合与安全', max: 15, step: 0.5 },
      ],
      ...panel,
    },
  ],
  tieBreaks: ['completion_time', 'practical', 'theory'],
};

const POWER_SCHEME: SchemeInput = {
  totaling: 'weighted',
  parts: [
    theory(30),
    {
      id: 'guywire',
      name: '拉线制作及安装',
      role: 'practical',
      weight: 35,
      max: 100,
      marking: 'rubric',
      criteria: [
        { id: 'gw_prep', name: '工器具及材料选用', max: 10, step: 0.5 },
        { id: 'gw_make', name: '拉线制作工艺', max: 40, step: 0.5 },
        { id: 'gw_install', name: '拉线安装质量', max: 35, step: 0.5 },
        { id: 'gw_safety', name: '安全文明生产', max: 15, step: 0.5 },
      ],
      ...panel,
    },
    {
      id: 'insulator',
      name: '10千伏悬瓶更换',
      role: 'practical',
      weight: 35,
      max: 100,
      marking: 'rubric',
      criteria: [
        { id: 'in_prep', name: '作业前准备与验电接地', max: 15, step: 0.5 },
        { id: 'in_replace', name: '悬式绝缘子更换操作', max: 45, step: 0.5 },
        { id: 'in_quality', name: '工艺质量', max: 25, step: 0.5 },
        { id: 'in_safety', name: '安全文明生产', max: 15, step: 0.5 },
      ],
      ...panel,
    },
  ],
  tieBreaks: ['completion_time', 'practical', 'theory'],
};

const WELDING_SCHEME: SchemeInput = {
  totaling: 'weighted',
  parts: [
    theory(20),
    {
      id: 'plate',
      name: '板对接V形坡口立焊',
      role: 'practical',
      weight: 80,
      max: 100,
      marking: 'rubric',
      criteria: [
        { id: 'pl_prep', name: '焊前准备', max: 10, step: 0.5 },
        { id: 'pl_visual', name: '焊缝外观质量', max: 50, step: 0.5 },
        { id: 'pl_xray', name: '焊缝内部质量（射线探伤）', max: 30, step: 0.5 },
        { id: 'pl_safety', name: '安全文明生产', max: 10, step: 0.5 },
      ],
      aggregation: { kind: 'mean' },
      minMarks: 3,
      expectedMarks: 3,
    },
  ],
  tieBreaks: ['completion_time', 'practical', 'theory'],
};

const ELECTRICIAN_SCHEME: SchemeInput = {
  totaling: 'weighted',
  parts: [
    theory(30),
    {
      id: 'wiring',
      name: '低压配电柜安装与调试',
      role: 'practical',
      weight: 70,
      max: 100,
      marking: 'rubric',
      criteria: [
        { id: 'wr_layout', name: '元件布置与接线工艺', max: 30, step: 0.5 },
        { id: 'wr_function', name: '通电试运行功能', max: 40, step: 0.5 },
        { id: 'wr_fault', name: '故障排查', max: 20, step: 0.5 },
        { id: 'wr_safety', name: '安全文明生产', max: 10, step: 0.5 },
      ],
      aggregation: { kind: 'mean' },
      minMarks: 3,
      expectedMarks: 3,
    },
  ],
  tieBreaks: ['completion_time', 'practical', 'theory'],
};

// ---------------------------------------------------------------------------------------------

/** A time on a Beijing-time calendar day. */
const at = (day: string, hh: number, mm: number, ss = 0) =>
  new Date(`${day}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}+08:00`);
/**
 * Whole years the studio records move when the demo data is created on `now`: 0 from 1 November
 * 2026 to 31 October 2027, 1 in the year after, and so on.
 */
export function studioYearShift(now: Date): number {
  const [y, m] = chinaDay(now, 0).split('-').map(Number) as [number, number];
  return (m >= 11 ? y : y - 1) - 2026;
}

/** The Beijing-time calendar day `offset` days from `now`, `YYYY-MM-DD`. */
const chinaDay = (now: Date, offset: number) => new Date(now.getTime() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
const year = (day: string) => Number(day.slice(0, 4));
const addMinutes = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);
const onStep = (value: number, step: number, max: number) => Math.min(max, Math.max(0, Math.round(value / step) * step));
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

type Judge = { id: number; code: string; employerId: number | null; bias: number };
type Entrant = { entryId: number; personId: number; employerId: number; number: number; ability: number; status: 'checked_in' | 'absent' };
type MarkRow = typeof marks.$inferInsert;

/** Everything inserted in the seeding transaction goes through this object. */
class Seeder {
  readonly org = new Map<string, { id: number; path: string }>();
  readonly markRows: MarkRow[] = [];
  private readonly idNumbers = new Set<string>();
  private readonly names = new Set<string>();
  readonly counts = {
    organisations: 0,
    accounts: 0,
    people: 0,
    competitions: 0,
    events: 0,
    entries: 0,
    judges: 0,
    marks: 0,
    selections: 0,
    selectionCandidates: 0,
    craftsmanTitles: 0,
    rewardPayments: 0,
  };

  /** Today on the Beijing-time calendar, `YYYY-MM-DD`: the running competitions are dated around it. */
  readonly today: string;
  /**
   * The studio records were written as seen between 1 November 2026 and 31 October 2027; on other
   * days every studio date and year moves by whole years so they stay as recent (see {@link date}).
   */
  readonly yearShift: number;

  constructor(
    readonly tx: Tx,
    readonly rng: Rng,
    readonly secret: string,
    readonly now: Date,
  ) {
    this.today = chinaDay(now, 0);
    this.yearShift = studioYearShift(now);
  }

  /** The Beijing-time calendar day `offset` days from today. */
  day(offset: number): string {
    return chinaDay(this.now, offset);
  }

  /** A studio-record year, moved by {@link yearShift}. */
  year(y: number): number {
    return y + this.yearShift;
  }

  /** A studio-record date `YYYY-MM-DD`, moved by whole years (29 February becomes the 28th off leap years). */
  date(iso: string): string {
    const y = Number(iso.slice(0, 4)) + this.yearShift;
    const md = iso.slice(5);
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    return `${y}-${md === '02-29' && !leap ? '02-28' : md}`;
  }

  orgId(key: string): number {
    const o = this.org.get(key);
    if (!o) throw new Error(`demo seed: unknown organisation ${key}`);
    return o.id;
  }

  accountId(username: string): number {
    return this.tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.username, username)).get()!.id;
  }

  /** B-level competitions are hosted by the county union together with the county HR bureau (联合主办). */
  coOrganise(competitionId: number, orgKey: string): void {
    this.tx.insert(competitionCoOrganisers).values({ competitionId, orgId: this.orgId(orgKey) }).run();
  }

  insertOrgs(defs: OrgDef[]): void {
    for (const d of defs) {
      const parent = d.parent ? this.org.get(d.parent) : undefined;
      if (d.parent && !parent) throw new Error(`demo seed: ${d.key} listed before its parent ${d.parent}`);
      const { id } = this.tx
        .insert(organisations)
        .values({ parentId: parent?.id ?? null, name: d.name, kind: d.kind, level: d.level, regionCode: d.region, path: '/' })
        .returning({ id: organisations.id })
        .get();
      const path = `${parent?.path ?? '/'}${id}/`;
      this.tx.update(organisations).set({ path }).where(eq(organisations.id, id)).run();
      this.org.set(d.key, { id, path });
      this.counts.organisations++;
    }
  }

  /** A Chinese name not used yet in the data set. */
  name(gender: 'male' | 'female'): string {
    for (;;) {
      const name = this.rng.pick(SURNAMES) + this.rng.pick(gender === 'male' ? MALE_GIVEN : FEMALE_GIVEN);
      if (!this.names.has(name)) {
        this.names.add(name);
        return name;
      }
    }
  }

  /** A valid resident ID number: area, a real birth date, a sequence whose parity is the gender, check char. */
  idNumber(area: string, born: { from: number; to: number }, gender: 'male' | 'female') {
    for (;;) {
      const year = this.rng.int(born.from, born.to);
      const month = this.rng.int(1, 12);
      const day = this.rng.int(1, new Date(Date.UTC(year, month, 0)).getUTCDate());
      const seq = this.rng.int(0, 499) * 2 + (gender === 'male' ? 1 : 0);
      const birth = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
      const first17 = `${area}${birth}${String(seq).padStart(3, '0')}`;
      const id = first17 + residentIdCheckChar(first17);
      if (this.idNumbers.has(id)) continue;
      this.idNumbers.add(id);
      return { id, birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}` };
    }
  }

  person(opts: {
    orgKey: string;
    employerKey: string;
    areas: string[];
    maleShare: number;
    born: { from: number; to: number };
    occupation: { code: string; name: string };
    levels: readonly (number | null)[];
  }): number {
    const gender = this.rng.next() < opts.maleShare ? 'male' : 'female';
    const name = this.name(gender);
    const { id, birthDate } = this.idNumber(this.rng.pick(opts.areas), opts.born, gender);
    const phone = this.rng.pick(PHONE_PREFIXES) + String(this.rng.int(0, 99_999_999)).padStart(8, '0');
    const row = this.tx
      .insert(people)
      .values({
        orgId: this.orgId(opts.orgKey),
        employerId: this.orgId(opts.employerKey),
        name,
        idNumber: id,
        gender,
        birthDate,
        phone,
        occupationCode: opts.occupation.code,
        occupationName: opts.occupation.name,
        skillLevel: this.rng.pick(opts.levels),
      })
      .returning({ id: people.id })
      .get();
    this.counts.people++;
    return row.id;
  }

  /** A judge of the competition with one code, sitting on `eventId` in `role`. */
  judge(competitionId: number, eventId: number, name: string, role: 'chief' | 'judge', code: string, employerKey: string | null): Judge {
    const employerId = employerKey ? this.orgId(employerKey) : null;
    const row = this.tx
      .insert(judges)
      .values({
        competitionId,
        name,
        employerId,
        codeHash: tokenHash(this.secret, code),
        codeNumber: 1,
        codeIssuedAt: this.now,
        codeExpiresAt: CODE_EXPIRES_AT,
      })
      .returning({ id: judges.id })
      .get();
    this.counts.judges++;
    this.assign(row.id, eventId, role);
    return { id: row.id, code, employerId, bias: this.rng.between(-0.03, 0.03) };
  }

  /** Puts a judge of the competition on (another) event's panel. */
  assign(judgeId: number, eventId: number, role: 'chief' | 'judge' | 'supervisor' | 'scorer'): void {
    this.tx.insert(judgeAssignments).values({ judgeId, eventId, role }).run();
  }

  /** Seats judges on a part's panel in a round: the panel's size is the part's expected number of marks. */
  seat(roundId: number, partId: string, panel: Judge[]): void {
    this.tx
      .insert(panelSeats)
      .values(panel.map((j) => ({ roundId, partId, judgeId: j.id })))
      .run();
  }

  /** One judge's marks for one part of one entry, entered at `when`. */
  markPart(ctx: { eventId: number; roundId: number }, entrant: Entrant, judge: Judge, part: Scheme['parts'][number], when: Date): void {
    if (judge.employerId != null && judge.employerId === entrant.employerId)
      throw new Error('demo seed: a judge may not mark an entrant of their own employer');
    criteriaOf(part).forEach((c, i) => {
      let value: number;
      if (part.marking === 'objective') {
        // An exam result, entered by the chief judge.
        value = Math.round(100 * clamp(entrant.ability + this.rng.between(-0.08, 0.08), 0.6, 0.97)) * (c.max / 100);
      } else {
        const share = clamp(entrant.ability + judge.bias + this.rng.between(-0.05, 0.05), 0.6, 0.95);
        value = part.marking === 'deduction' ? onStep(c.max * (1 - share), c.step, c.max) : onStep(c.max * share, c.step, c.max);
      }
      this.markRows.push({
        roundId: ctx.roundId,
        entryId: entrant.entryId,
        judgeId: judge.id,
        partId: part.id,
        criterionId: c.id,
        version: 1,
        value,
        enteredAt: new Date(when.getTime() + i * 20_000),
        device: 'demo-seed',
        idempotencyKey: `seed-${ctx.eventId}-${entrant.entryId}-${judge.id}-${c.id}`,
      });
    });
  }

  /**
   * An exam result (objective part) as the exam system gave it, imported by the chief judge at
   * `when`: an objective value, drawn from the generator exactly as a mark would have been.
   */
  objectiveResult(ctx: { roundId: number }, entrant: Entrant, chief: Judge, part: Scheme['parts'][number], when: Date): void {
    const value = Math.round(100 * clamp(entrant.ability + this.rng.between(-0.08, 0.08), 0.6, 0.97)) * (part.max / 100);
    this.tx
      .insert(objectiveValues)
      .values({ roundId: ctx.roundId, entryId: entrant.entryId, field: part.id, version: 1, value, source: 'import', judgeId: chief.id, enteredAt: when })
      .run();
  }

  flushMarks(): void {
    const chunk = 1000; // 11 columns a row: well under SQLite's 32,766 variables
    for (let i = 0; i < this.markRows.length; i += chunk) this.tx.insert(marks).values(this.markRows.slice(i, i + chunk)).run();
    this.counts.marks += this.markRows.length;
    this.markRows.length = 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Events.

type EntrantPlan = {
  employerKey: string;
  /**
   * The organisation keeping the person records: Feixi workers are registered by the county
   * union (the county HR bureau, its peer, reaches them by region to certify their levels),
   * northern-Anhui power workers by their city union.
   */
  orgKey: string;
  areas: string[];
  /** Number of people from this employer. */
  count: number;
};

type EventPlan = {
  competitionId: number;
  name: string;
  occupation: { code: string; name: string };
  targetLevel: number;
  minEntrants: number;
  scheme: SchemeInput;
  teamRanking?: { method: 'sum' | 'mean'; bestN: number };
  entrants: EntrantPlan[];
  maleShare: number;
  born: { from: number; to: number };
  levels: readonly (number | null)[];
  codes: { chief: string; judges: readonly string[] };
  chief: { name: string; employerKey: string | null };
  panelEmployers: (string | null)[];
  round: { status: 'open' | 'closed'; closedAt?: Date };
  releasedAt?: Date;
};

type BuiltEvent = {
  eventId: number;
  roundId: number;
  scheme: Scheme;
  chief: Judge;
  panel: Judge[];
  /** By drawn number. */
  entrants: Entrant[];
};

function buildEvent(s: Seeder, plan: EventPlan, arrange?: (list: { personId: number; employerKey: string }[]) => void): BuiltEvent {
  const { tx, rng } = s;
  const scheme = schemeSchema.parse(plan.scheme);
  const event = tx
    .insert(events)
    .values({
      competitionId: plan.competitionId,
      name: plan.name,
      occupationCode: plan.occupation.code,
      occupationName: plan.occupation.name,
      targetLevel: plan.targetLevel,
      mode: 'individual',
      minEntrants: plan.minEntrants,
      scheme,
      teamRanking: plan.teamRanking ?? null,
      // The team contest opts in to show delegations on the venue screen before release (never names).
      showDelegationsBeforeRelease: plan.teamRanking != null,
      releasedAt: plan.releasedAt ?? null,
      // A released demo event has been through its publicity period and is final.
      publicityEndsAt: plan.releasedAt ? publicityEnd(plan.releasedAt, 5, workingCalendar(tx)) : null,
      finalAt: plan.releasedAt ? publicityEnd(plan.releasedAt, 5, workingCalendar(tx)) : null,
    })
    .returning({ id: events.id })
    .get();
  s.counts.events++;
  const round = tx
    .insert(rounds)
    .values({ eventId: event.id, seq: 1, name: '决赛', kind: 'final', status: plan.round.status, closedAt: plan.round.closedAt ?? null })
    .returning({ id: rounds.id })
    .get();

  const registered: { personId: number; employerKey: string }[] = [];
  for (const group of plan.entrants)
    for (let i = 0; i < group.count; i++)
      registered.push({
        employerKey: group.employerKey,
        personId: s.person({
          orgKey: group.orgKey,
          employerKey: group.employerKey,
          areas: group.areas,
          maleShare: plan.maleShare,
          born: plan.born,
          occupation: plan.occupation,
          levels: plan.levels,
        }),
      });

  // Drawing lots: a shuffled order is the drawn number (1..n); `arrange` may adjust it.
  const drawn = rng.shuffle(registered);
  arrange?.(drawn);
  const entrants: Entrant[] = drawn.map((r, i) => {
    const employerId = s.orgId(r.employerKey);
    const row = tx
      .insert(entries)
      .values({ eventId: event.id, personId: r.personId, delegationId: employerId, status: 'checked_in', drawnNumber: i + 1 })
      .returning({ id: entries.id })
      .get();
    s.counts.entries++;
    return { entryId: row.id, personId: r.personId, employerId, number: i + 1, ability: rng.between(0.66, 0.91), status: 'checked_in' };
  });

  const chief = s.judge(plan.competitionId, event.id, plan.chief.name, 'chief', plan.codes.chief, plan.chief.employerKey);
  const panelJudges = plan.codes.judges.map((code, i) =>
    s.judge(plan.competitionId, event.id, s.name(rng.next() < 0.8 ? 'male' : 'female'), 'judge', code, plan.panelEmployers[i] ?? null),
  );
  return { eventId: event.id, roundId: round.id, scheme, chief, panel: panelJudges, entrants };
}

function setAbsent(s: Seeder, e: BuiltEvent, number: number): void {
  const entrant = e.entrants[number - 1]!;
  entrant.status = 'absent';
  s.tx.update(entries).set({ status: 'absent' }).where(eq(entries.id, entrant.entryId)).run();
}

function addToRound(s: Seeder, e: BuiltEvent, completion?: (entrant: Entrant) => number | null): void {
  const rows = e.entrants.map((x) => ({ roundId: e.roundId, entryId: x.entryId, completionSeconds: completion?.(x) ?? null }));
  s.tx.insert(roundEntries).values(rows).run();
  // Completion times are measured values: their first version, as the chief judge entered them.
  const timed = rows.filter((r) => r.completionSeconds !== null);
  if (timed.length)
    s.tx
      .insert(objectiveValues)
      .values(timed.map((r) => ({ roundId: r.roundId, entryId: r.entryId, field: 'completionTime', version: 1, value: r.completionSeconds, source: 'grid' as const, judgeId: e.chief.id, enteredAt: s.now })))
      .run();
}

/** Theory results for every present entrant, imported by the chief judge after the exam (objective values, not marks). */
function markTheory(s: Seeder, e: BuiltEvent, start: Date): void {
  const part = e.scheme.parts.find((p) => p.id === 'theory')!;
  e.entrants
    .filter((x) => x.status === 'checked_in')
    .forEach((x, i) => s.objectiveResult({ roundId: e.roundId }, x, e.chief, part, addMinutes(start, i)));
}

/** Seats the event's panel on each of its practical parts (the same five or three judges), or the judges given per part. */
function seatPanels(s: Seeder, e: BuiltEvent, byPart: Record<string, Judge[]> = {}): void {
  for (const part of e.scheme.parts) if (part.marking !== 'objective') s.seat(e.roundId, part.id, byPart[part.id] ?? e.panel);
}

/** A practical part for the given entrants (by drawn number), from the first `judgeCount` judges of its panel. */
function markPractical(
  s: Seeder,
  e: BuiltEvent,
  partId: string,
  numbers: number[],
  judgeCount: number,
  start: Date,
  minutesEach: number,
  panel: Judge[] = e.panel,
): void {
  const part = e.scheme.parts.find((p) => p.id === partId)!;
  numbers.forEach((n, i) => {
    const entrant = e.entrants[n - 1]!;
    if (entrant.status !== 'checked_in') return;
    panel.slice(0, judgeCount).forEach((j, k) => {
      if (j.employerId != null && j.employerId === entrant.employerId) return; // recused
      s.markPart({ eventId: e.eventId, roundId: e.roundId }, entrant, j, part, addMinutes(start, i * minutesEach + 2 + k));
    });
  });
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Moves the first entrant of `employerKey` to drawn number `number` (swapping with its holder). */
function placeEmployerAt(list: { employerKey: string }[], employerKey: string, number: number): void {
  const i = list.findIndex((x) => x.employerKey === employerKey);
  const j = number - 1;
  [list[i], list[j]] = [list[j]!, list[i]!];
}

// ---------------------------------------------------------------------------------------------
// The three competitions.

function feixiCompetition(s: Seeder): void {
  const comp = s.tx
    .insert(competitions)
    .values({
      orgId: s.orgId('feixi'),
      name: `${year(s.day(-1))}年${DEMO_JUDGE_CODES.无人机驾驶.competition}`,
      grade: 'B',
      year: year(s.day(-1)),
      organisers: ['肥西县总工会', '肥西县人力资源和社会保障局'],
      hosts: ['肥西县应急管理局', '桃花工业园管委会'],
      venue: '肥西县职业技术学校',
      startDate: s.day(-1),
      endDate: s.day(2),
      status: 'running',
    })
    .returning({ id: competitions.id })
    .get();
  s.counts.competitions++;
  s.coOrganise(comp.id, 'feixiHr');
  s.tx.insert(competitionOfficers).values({ competitionId: comp.id, accountId: s.accountId('encryptor'), duty: 'encryption_officer' }).run();
  const feixiAreas = HOME_AREAS.feixi!;

  // 无人机驾驶: 12 entrants, number 5 absent; WRJ00005 works for 国网肥西县供电公司 like the entrant drawn 12.
  const drone = buildEvent(
    s,
    {
      competitionId: comp.id,
      name: '无人机驾驶',
      occupation: OCC.drone,
      targetLevel: 4,
      minEntrants: 10,
      scheme: DRONE_SCHEME,
      entrants: [
        { employerKey: 'xiangyu', orgKey: 'feixi', areas: feixiAreas, count: 4 },
        { employerKey: 'shangpaiAgri', orgKey: 'feixi', areas: feixiAreas, count: 3 },
        { employerKey: 'sanheAgri', orgKey: 'feixi', areas: feixiAreas, count: 3 },
        { employerKey: 'feixiEmergency', orgKey: 'feixi', areas: feixiAreas, count: 1 },
        { employerKey: 'feixiPower', orgKey: 'feixi', areas: feixiAreas, count: 1 },
      ],
      maleShare: 0.8,
      born: { from: 1985, to: 2000 },
      levels: [5, 5, 4, 4, 4, 3, 3, 2],
      codes: DEMO_JUDGE_CODES.无人机驾驶,
      chief: { name: '裴光明', employerKey: 'feixiSchool' },
      panelEmployers: ['feixiSchool', 'feixiSchool', 'hefeiFire', null, 'feixiPower'],
      round: { status: 'open' },
    },
    (list) => placeEmployerAt(list, 'feixiPower', list.length),
  );
  setAbsent(s, drone, 5);
  seatPanels(s, drone); // flight and mission: WRJ00001 … WRJ00005
  addToRound(s, drone, (x) => (x.number <= 8 && x.status === 'checked_in' ? s.rng.int(600, 900) : null));
  markTheory(s, drone, at(s.day(-1), 10, 40));
  const droneDone = range(1, 7); // number 5 is absent: six entrants fully marked
  markPractical(s, drone, 'flight', droneDone, 5, at(s.day(-1), 13, 0), 15);
  markPractical(s, drone, 'mission', droneDone, 5, at(s.day(-1), 13, 5), 15);
  markPractical(s, drone, 'flight', [8], 3, at(s.day(-1), 14, 50), 15); // three judges in so far
  markPractical(s, drone, 'flight', [9], 2, at(s.day(-1), 15, 5), 15); // two: below minMarks
  s.flushMarks();

  // 消防救援: 12 entrants, number 9 absent; XFJY0005 works for 上派镇专职消防队 like the entrant drawn 11.
  const fire = buildEvent(
    s,
    {
      competitionId: comp.id,
      name: '消防救援',
      occupation: OCC.fire,
      targetLevel: 4,
      minEntrants: 10,
      scheme: FIRE_SCHEME,
      entrants: [
        { employerKey: 'taohuaFire', orgKey: 'feixi', areas: feixiAreas, count: 3 },
        { employerKey: 'sanheFire', orgKey: 'feixi', areas: feixiAreas, count: 3 },
        { employerKey: 'zipengFire', orgKey: 'feixi', areas: feixiAreas, count: 3 },
        { employerKey: 'huachuan', orgKey: 'feixi', areas: feixiAreas, count: 2 },
        { employerKey: 'shangpaiFire', orgKey: 'feixi', areas: feixiAreas, count: 1 },
      ],
      maleShare: 0.95,
      born: { from: 1986, to: 2000 },
      levels: [5, 4, 4, 4, 3, 3, null],
      codes: DEMO_JUDGE_CODES.消防救援,
      chief: { name: '柏志远', employerKey: 'hefeiFire' },
      panelEmployers: ['feixiFire', 'feixiFire', 'hefeiFire', 'hefeiFire', 'shangpaiFire'],
      round: { status: 'open' },
    },
    (list) => placeEmployerAt(list, 'shangpaiFire', 11),
  );
  setAbsent(s, fire, 9);
  // One judge, one code, two events: WRJ00004 (a drone judge) also sits on the fire event's rescue
  // panel; XFJY0005 marks the equipment part only. gear: XFJY0001 … 0005; rescue: XFJY0001 … 0004 + WRJ00004.
  const droneJudge4 = drone.panel[3]!;
  s.assign(droneJudge4.id, fire.eventId, 'judge');
  const rescuePanel = [...fire.panel.slice(0, 4), droneJudge4];
  seatPanels(s, fire, { rescue: rescuePanel });
  addToRound(s, fire, (x) => (x.number <= 7 && x.status === 'checked_in' ? s.rng.int(420, 720) : null));
  markTheory(s, fire, at(s.day(-1), 10, 30));
  const fireDone = range(1, 5);
  markPractical(s, fire, 'gear', fireDone, 5, at(s.day(-1), 13, 30), 10);
  markPractical(s, fire, 'rescue', fireDone, 5, at(s.day(-1), 14, 30), 12, rescuePanel);
  markPractical(s, fire, 'gear', [6], 3, at(s.day(-1), 14, 20), 10);
  markPractical(s, fire, 'gear', [7], 2, at(s.day(-1), 14, 30), 10);
  s.flushMarks();
}

const POWER_DELEGATIONS = [
  ['huaibei', 'huaibeiPower'],
  ['huaibei', 'suixiPower'],
  ['bozhou', 'bozhouPower'],
  ['bozhou', 'guoyangPower'],
  ['suzhou', 'suzhouPower'],
  ['suzhou', 'dangshanPower'],
  ['bengbu', 'bengbuPower'],
  ['bengbu', 'huaiyuanPower'],
  ['fuyang', 'fuyangPower'],
  ['fuyang', 'linquanPower'],
] as const;

function powerCompetition(s: Seeder): void {
  const comp = s.tx
    .insert(competitions)
    .values({
      orgId: s.orgId('anhui'),
      name: `${year(s.day(-2))}年${DEMO_JUDGE_CODES.配电线路工.competition}`,
      grade: 'A',
      competitionClass: 'class1',
      year: year(s.day(-2)),
      organisers: ['安徽省总工会', '安徽省人力资源和社会保障厅'],
      hosts: ['国网安徽省电力有限公司'],
      venue: '国网安徽省电力有限公司技能培训中心（宿州实训基地）',
      startDate: s.day(-2),
      endDate: s.day(1),
      status: 'running',
    })
    .returning({ id: competitions.id })
    .get();
  s.counts.competitions++;

  const power = buildEvent(s, {
    competitionId: comp.id,
    name: '配电线路工',
    occupation: OCC.power,
    targetLevel: 3,
    minEntrants: 30,
    scheme: POWER_SCHEME,
    teamRanking: { method: 'sum', bestN: 3 },
    entrants: POWER_DELEGATIONS.map(([city, employer]) => ({ employerKey: employer, orgKey: city, areas: HOME_AREAS[employer]!, count: 3 })),
    maleShare: 1,
    born: { from: 1978, to: 1998 },
    levels: [4, 3, 3, 3, 2, 2, 1],
    codes: DEMO_JUDGE_CODES.配电线路工,
    chief: { name: '訾正华', employerKey: 'sgccAnhui' },
    panelEmployers: ['sgccAnhui', 'sgccAnhui', 'sgccAnhui', 'sgccAnhui', 'sgccAnhui'],
    round: { status: 'open' },
  });
  // Completion time of the two practical tasks together (the first tie-break).
  const seconds = new Map(power.entrants.map((x) => [x.number, s.rng.int(2400, 3600)]));
  // Numbers 4 and 11 get identical marks below: their equal totals are split by completion time.
  seconds.set(11, seconds.get(4)! - 37);
  addToRound(s, power, (x) => seconds.get(x.number)!);
  seatPanels(s, power);

  markTheory(s, power, at(s.day(-2), 16, 0));
  markPractical(s, power, 'guywire', range(1, 30), 5, at(s.day(-1), 8, 30), 12);
  markPractical(s, power, 'insulator', range(1, 18), 5, at(s.day(-1), 14, 0), 12);
  const four = power.entrants[3]!.entryId;
  const eleven = power.entrants[10]!;
  for (const m of s.markRows.filter((r) => r.entryId === eleven.entryId)) {
    const twin = s.markRows.find((r) => r.entryId === four && r.judgeId === m.judgeId && r.criterionId === m.criterionId)!;
    m.value = twin.value;
  }
  // And the same theory result (an objective value).
  const theoryOf = (entryId: number) => and(eq(objectiveValues.entryId, entryId), eq(objectiveValues.field, 'theory'));
  const fourTheory = s.tx.select({ value: objectiveValues.value }).from(objectiveValues).where(theoryOf(four)).get()!.value;
  s.tx.update(objectiveValues).set({ value: fourTheory }).where(theoryOf(eleven.entryId)).run();
  s.flushMarks();
}

/** A one-day B-level Feixi competition, co-organised by the county union and HR bureau, whose results are out. */
function releasedFeixiCompetition(s: Seeder, c: { code: '焊工' | '电工'; held: string; hosts: string[]; venue: string }): { id: number } {
  const row = s.tx
    .insert(competitions)
    .values({
      orgId: s.orgId('feixi'),
      name: `${year(c.held)}年${DEMO_JUDGE_CODES[c.code].competition}`,
      grade: 'B',
      year: year(c.held),
      organisers: ['肥西县总工会', '肥西县人力资源和社会保障局'],
      hosts: c.hosts,
      venue: c.venue,
      startDate: c.held,
      endDate: c.held,
      // Its events are released and their publicity is over (finalAt): the status follows them.
      status: 'final',
    })
    .returning({ id: competitions.id })
    .get();
  s.counts.competitions++;
  s.coOrganise(row.id, 'feixiHr');
  return row;
}

function weldingCompetition(s: Seeder): void {
  // Last year's: held about thirteen months ago, released two days later, final since.
  const held = s.day(-410);
  const comp = releasedFeixiCompetition(s, { code: '焊工', held, hosts: ['桃花工业园管委会'], venue: '肥西县职业技术学校焊接实训中心' });
  const feixiAreas = HOME_AREAS.feixi!;
  const weld = buildEvent(s, {
    competitionId: comp.id,
    name: '焊工',
    occupation: OCC.welder,
    targetLevel: 3,
    minEntrants: 8,
    scheme: WELDING_SCHEME,
    entrants: [
      { employerKey: 'huachuan', orgKey: 'feixi', areas: feixiAreas, count: 3 },
      { employerKey: 'shangpaiBuild', orgKey: 'feixi', areas: feixiAreas, count: 3 },
      { employerKey: 'dingli', orgKey: 'feixi', areas: feixiAreas, count: 2 },
    ],
    maleShare: 0.9,
    born: { from: 1972, to: 1996 },
    levels: [4, 4, 3, 3, 2, 5],
    codes: DEMO_JUDGE_CODES.焊工,
    chief: { name: '鲁振邦', employerKey: 'feixiSchool' },
    panelEmployers: ['feixiSchool', 'feixiSchool', null],
    round: { status: 'closed', closedAt: at(held, 17, 30) },
    releasedAt: at(s.day(-408), 10, 0),
  });
  addToRound(s, weld, () => s.rng.int(2100, 2700));
  seatPanels(s, weld);
  markTheory(s, weld, at(held, 11, 0));
  markPractical(s, weld, 'plate', range(1, 8), 3, at(held, 13, 30), 15);
  s.flushMarks();
}

/** Released last month: held about six weeks ago, its publicity period over, the results final. */
function electricianCompetition(s: Seeder): void {
  const held = s.day(-42);
  const comp = releasedFeixiCompetition(s, { code: '电工', held, hosts: ['国网肥西县供电公司'], venue: '国网肥西县供电公司实训基地' });
  const feixiAreas = HOME_AREAS.feixi!;
  const electric = buildEvent(s, {
    competitionId: comp.id,
    name: '电工',
    occupation: OCC.electrician,
    targetLevel: 3,
    minEntrants: 8,
    scheme: ELECTRICIAN_SCHEME,
    entrants: [
      { employerKey: 'feixiPower', orgKey: 'feixi', areas: feixiAreas, count: 4 },
      { employerKey: 'huachuan', orgKey: 'feixi', areas: feixiAreas, count: 3 },
      { employerKey: 'shangpaiBuild', orgKey: 'feixi', areas: feixiAreas, count: 3 },
    ],
    maleShare: 0.85,
    born: { from: 1980, to: 1998 },
    levels: [4, 4, 3, 3, 5, 2],
    codes: DEMO_JUDGE_CODES.电工,
    chief: { name: '严立新', employerKey: 'feixiSchool' },
    panelEmployers: ['feixiSchool', 'feixiSchool', null],
    round: { status: 'closed', closedAt: at(held, 17, 0) },
    releasedAt: at(s.day(-40), 10, 0),
  });
  addToRound(s, electric, () => s.rng.int(1800, 2700));
  seatPanels(s, electric);
  markTheory(s, electric, at(held, 9, 0));
  markPractical(s, electric, 'wiring', range(1, 10), 3, at(held, 10, 30), 20);
  s.flushMarks();
}

// ---------------------------------------------------------------------------------------------
// Innovation studios (创新工作室). Imports kept with the function that uses them.

import { asc as sqlAsc } from 'drizzle-orm';
import {
  fiveSmallsCampaigns,
  fiveSmallsDepartments,
  fiveSmallsEntries,
  fiveSmallsScores,
  studioAchievements,
  studioAllianceLeads,
  studioAllianceMembers,
  studioAllianceProjects,
  studioAlliances,
  studioEvaluationApplicants,
  studioEvaluationReviewers,
  studioEvaluations,
  studioEvaluationScores,
  studioFunding,
  studioMembers,
  studios,
  studioSteps,
} from './schema.ts';
import { indicatorSheetPreset, type DeciderInput, type StudioKind, type StudioLevel, type StudioState } from '../server/contracts/studios.ts';
import { openApplication, screenFiveSmalls, transition, type TransitionContext } from '../server/domain/studios/index.ts';

type StudioAction = Parameters<typeof transition>[1];
type StudioPlan = {
  key: string;
  kind: StudioKind;
  hostKey: string;
  /** The leader: the best-certified person of the host (of this occupation, if given). */
  leader: { occupation?: string; maxLevel?: number; skip?: number };
  honours: string[];
  name: (leader: string) => string;
  field: string;
  topics: string[];
  siteAreaM2: number;
  foundedOn: string;
  functions: string[];
  applyOn: string;
  steps: [StudioAction, TransitionContext][];
  funding?: { year: number; kind: (typeof studioFunding.$inferInsert)['kind']; amountYuan: number; source: string; receivedOn: string }[];
};

/**
 * Studios across Feixi's townships and employers at every level (one more in Huaibei, outside
 * Feixi's scope), their life cycles run through the domain's `openApplication` and `transition`
 * (one warned, one de-listed with a reapplication ban, one lapsed awaiting re-confirmation, one
 * rejected), funding (Hefei: 50,000 yuan for a new studio, 30,000 on re-confirmation; 20,000 for
 * a county-level one is an assumption), achievements 2023–2026, the 电力行业 alliance with a
 * yearly rotating lead, an open joint evaluation round with union and HR reviewers, and an
 * awarded five-smalls campaign (Fushun's 8 / 15 / 22 of 368 scaled by 1/8: 46 entries, 1 / 2 / 3
 * prizes). Leaders and members are people already in the data set, so their certified levels
 * are the HR bureau's; the honours they hold are declared on the studio, as on an application.
 */
function seedStudios(s: Seeder, passwordHash: string): void {
  const { tx, rng } = s;
  const feixi = s.org.get('feixi')!;
  const accountId = (username: string) => tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.username, username)).get()!.id;
  const studioAccount = accountId('studio');
  const hrAccount = accountId('hr');
  const orgName = (key: string) => ORGS.find((o) => o.key === key)!.name;
  const body = (kind: 'union' | 'hr_bureau' | 'joint', key: string): DeciderInput => ({
    body: kind,
    organisationId: s.orgId(key),
    name: kind === 'joint' ? '肥西县总工会、肥西县人力资源和社会保障局' : orgName(key),
  });
  const union = body('union', 'feixi');
  const hr = body('hr_bureau', 'feixiHr');
  const joint = body('joint', 'feixi');

  // People of the data set, by employer, best certified level first.
  const pool = tx
    .select({ id: people.id, name: people.name, level: people.skillLevel, occupation: people.occupationName, employerId: people.employerId })
    .from(people)
    .orderBy(sqlAsc(people.id))
    .all();
  const usedLeaders = new Set<number>();
  const pickLeader = (hostKey: string, want: StudioPlan['leader']) => {
    const hostId = s.orgId(hostKey);
    const candidates = pool
      .filter((p) => p.employerId === hostId && !usedLeaders.has(p.id) && (!want.occupation || p.occupation === want.occupation))
      .filter((p) => want.maxLevel === undefined || (p.level !== null && p.level <= want.maxLevel))
      .sort((a, b) => (a.level ?? 9) - (b.level ?? 9) || a.id - b.id);
    const leader = candidates[want.skip ?? 0] ?? candidates[0];
    if (!leader) throw new Error(`demo seed: no studio leader at ${hostKey}`);
    usedLeaders.add(leader.id);
    return leader;
  };

  const plans: StudioPlan[] = [
    {
      key: 'power',
      kind: 'model_worker',
      hostKey: 'feixiPower',
      leader: {},
      honours: ['model_worker_national', 'may_day_medal'],
      name: (n) => `${n}劳模创新工作室`,
      field: '配电运维与无人机巡检',
      topics: ['配电线路', '无人机巡检', '带电作业', '台区线损'],
      siteAreaM2: 260,
      foundedOn: s.date('2018-05-01'),
      functions: ['technical_innovation', 'problem_tackling', 'apprenticeship'],
      applyOn: s.date('2019-03-15'),
      steps: [
        ['start_evaluation', { date: s.date('2019-04-10'), decidedBy: union }],
        ['recognise', { date: s.date('2019-06-28'), decidedBy: union, level: 'county' }],
        ['renew', { date: s.date('2020-12-18'), decidedBy: union }],
        ['renew', { date: s.date('2021-12-17'), decidedBy: union }],
        ['reconfirm', { date: s.date('2022-05-20'), decidedBy: body('union', 'hefei'), level: 'city', note: '经合肥市总工会复核，认定为市级劳模创新工作室' }],
        ['renew', { date: s.date('2023-12-20'), decidedBy: union }],
        ['renew', { date: s.date('2024-12-18'), decidedBy: union }],
        ['reconfirm', { date: s.date('2025-04-28'), decidedBy: body('union', 'acftu'), level: 'national_demonstration', note: '命名为全国示范性劳模和工匠人才创新工作室' }],
        ['renew', { date: s.date('2025-12-19'), decidedBy: joint }],
      ],
      funding: [
        { year: s.year(2019), kind: 'new_studio', amountYuan: 20000, source: '肥西县总工会', receivedOn: s.date('2019-08-15') },
        { year: s.year(2022), kind: 'new_studio', amountYuan: 50000, source: '合肥市总工会', receivedOn: s.date('2022-07-20') },
        { year: s.year(2024), kind: 'annual', amountYuan: 10000, source: '国网肥西县供电公司', receivedOn: s.date('2024-03-01') },
        { year: s.year(2025), kind: 'reconfirmation', amountYuan: 30000, source: '合肥市总工会', receivedOn: s.date('2025-06-30') },
      ],
    },
    {
      key: 'huachuanCraft',
      kind: 'craftsman',
      hostKey: 'huachuan',
      leader: { occupation: '焊工' },
      honours: ['craftsman'],
      name: (n) => `${n}工匠创新工作室`,
      field: '精密焊接与结构件制造',
      topics: ['精密焊接', '薄板变形控制', '焊接工装', '机器人焊接'],
      siteAreaM2: 180,
      foundedOn: s.date('2020-09-01'),
      functions: ['technical_innovation', 'problem_tackling', 'apprenticeship'],
      applyOn: s.date('2022-09-01'),
      steps: [
        ['start_evaluation', { date: s.date('2022-10-15'), decidedBy: union }],
        ['recognise', { date: s.date('2023-04-26'), decidedBy: body('union', 'anhui'), level: 'province' }],
        ['renew', { date: s.date('2024-12-18'), decidedBy: union }],
        ['renew', { date: s.date('2025-12-19'), decidedBy: union }],
        ['reconfirm', { date: s.date('2026-04-10'), decidedBy: body('union', 'anhui') }],
      ],
      funding: [
        { year: s.year(2023), kind: 'new_studio', amountYuan: 50000, source: '安徽省总工会', receivedOn: s.date('2023-07-10') },
        { year: s.year(2026), kind: 'reconfirmation', amountYuan: 30000, source: '安徽省总工会', receivedOn: s.date('2026-06-18') },
      ],
    },
    {
      key: 'xiangyu',
      kind: 'worker',
      hostKey: 'xiangyu',
      leader: {},
      honours: ['technical_expert'],
      name: (n) => `${n}无人机应用职工创新工作室`,
      field: '工业无人机应用',
      topics: ['无人机航测', '植保作业', '航线规划', '电池管理'],
      siteAreaM2: 150,
      foundedOn: s.date('2021-06-01'),
      functions: ['technical_innovation', 'apprenticeship'],
      applyOn: s.date('2023-03-01'),
      steps: [
        ['start_evaluation', { date: s.date('2023-03-20'), decidedBy: union }],
        ['recognise', { date: s.date('2023-06-30'), decidedBy: body('union', 'hefei'), level: 'city' }],
        ['renew', { date: s.date('2024-12-18'), decidedBy: union }],
        ['renew', { date: s.date('2025-12-19'), decidedBy: union }],
        ['reconfirm', { date: s.date('2026-06-15'), decidedBy: body('union', 'hefei') }],
      ],
      funding: [
        { year: s.year(2023), kind: 'new_studio', amountYuan: 50000, source: '合肥市总工会', receivedOn: s.date('2023-09-05') },
        { year: s.year(2026), kind: 'reconfirmation', amountYuan: 30000, source: '合肥市总工会', receivedOn: s.date('2026-08-20') },
      ],
    },
    {
      key: 'dingliMaster',
      kind: 'skill_master',
      hostKey: 'dingli',
      leader: { maxLevel: 2 },
      honours: [],
      name: (n) => `${n}焊接技能大师工作室`,
      field: '钢结构焊接',
      topics: ['厚板焊接', '焊缝探伤', '钢结构焊接', '焊接变形矫正'],
      siteAreaM2: 320,
      foundedOn: s.date('2019-10-01'),
      functions: ['problem_tackling', 'apprenticeship', 'craft_heritage'],
      applyOn: s.date('2021-02-20'),
      steps: [
        ['start_evaluation', { date: s.date('2021-03-15'), decidedBy: hr }],
        ['recognise', { date: s.date('2021-09-10'), decidedBy: body('hr_bureau', 'anhuiHr'), level: 'province' }],
        ['renew', { date: s.date('2022-12-16'), decidedBy: hr }],
        ['renew', { date: s.date('2023-12-15'), decidedBy: hr }],
        ['reconfirm', { date: s.date('2024-08-20'), decidedBy: body('hr_bureau', 'anhuiHr') }],
        ['renew', { date: s.date('2025-12-15'), decidedBy: hr }],
      ],
      funding: [
        { year: s.year(2021), kind: 'new_studio', amountYuan: 50000, source: '安徽省人力资源和社会保障厅', receivedOn: s.date('2021-11-30') },
        { year: s.year(2024), kind: 'reconfirmation', amountYuan: 30000, source: '安徽省人力资源和社会保障厅', receivedOn: s.date('2024-10-25') },
      ],
    },
    {
      key: 'dingliBlue',
      kind: 'blue_collar',
      hostKey: 'dingli',
      leader: {},
      honours: ['technical_expert_county'],
      name: (n) => `${n}蓝领创新工作室`,
      field: '钢结构安装',
      topics: ['高空安装', '螺栓紧固', '吊装方案'],
      siteAreaM2: 90,
      foundedOn: s.date('2021-03-01'),
      functions: ['technical_innovation', 'problem_tackling'],
      applyOn: s.date('2022-03-01'),
      steps: [
        ['start_evaluation', { date: s.date('2022-03-20'), decidedBy: union }],
        ['recognise', { date: s.date('2022-06-28'), decidedBy: union, level: 'county' }],
        ['renew', { date: s.date('2023-12-20'), decidedBy: union }],
        ['reconfirm', { date: s.date('2025-05-30'), decidedBy: union }],
        ['warn', { date: s.date('2025-12-19'), decidedBy: union, note: '年度考核：台账不全，全年无企业认可的创新项目，限期三个月整改' }],
      ],
      funding: [{ year: s.year(2022), kind: 'new_studio', amountYuan: 20000, source: '肥西县总工会', receivedOn: s.date('2022-09-01') }],
    },
    {
      key: 'shangpaiBuild',
      kind: 'worker',
      hostKey: 'shangpaiBuild',
      leader: {},
      honours: ['craftsman_county'],
      name: (n) => `${n}建筑安装职工创新工作室`,
      field: '建筑安装',
      topics: ['管道预制', '机电安装', '装配式构件'],
      siteAreaM2: 120,
      foundedOn: s.date('2023-05-01'),
      functions: ['technical_innovation', 'apprenticeship'],
      applyOn: s.date('2024-03-05'),
      steps: [
        ['start_evaluation', { date: s.date('2024-03-25'), decidedBy: union }],
        ['recognise', { date: s.date('2024-06-28'), decidedBy: union, level: 'county' }],
        ['renew', { date: s.date('2025-12-19'), decidedBy: union }],
      ],
      funding: [{ year: s.year(2024), kind: 'new_studio', amountYuan: 20000, source: '肥西县总工会', receivedOn: s.date('2024-08-30') }],
    },
    {
      key: 'taohuaFire',
      kind: 'worker',
      hostKey: 'taohuaFire',
      leader: {},
      honours: [],
      name: (n) => `${n}消防救援职工创新工作室`,
      field: '消防救援',
      topics: ['破拆救援', '水带铺设', '应急照明', '个人防护'],
      siteAreaM2: 110,
      foundedOn: s.date('2021-11-09'),
      functions: ['technical_innovation', 'problem_tackling', 'apprenticeship'],
      applyOn: s.date('2022-10-10'),
      steps: [
        ['start_evaluation', { date: s.date('2022-11-01'), decidedBy: union }],
        ['recognise', { date: s.date('2023-01-12'), decidedBy: body('union', 'hefei'), level: 'city' }],
        ['renew', { date: s.date('2023-12-20'), decidedBy: union }],
        ['renew', { date: s.date('2024-12-18'), decidedBy: union }],
        ['reconfirm', { date: s.date('2025-12-10'), decidedBy: body('union', 'hefei') }],
      ],
      funding: [
        { year: s.year(2023), kind: 'new_studio', amountYuan: 50000, source: '合肥市总工会', receivedOn: s.date('2023-04-12') },
        { year: s.year(2025), kind: 'reconfirmation', amountYuan: 30000, source: '合肥市总工会', receivedOn: s.date('2025-12-30') },
      ],
    },
    {
      key: 'shangpaiAgri',
      kind: 'blue_collar',
      hostKey: 'shangpaiAgri',
      leader: {},
      honours: [],
      name: (n) => `${n}植保无人机蓝领创新工作室`,
      field: '植保无人机',
      topics: ['植保喷洒', '药箱改装', '飞防作业'],
      siteAreaM2: 60,
      foundedOn: s.date('2019-09-01'),
      functions: ['technical_innovation', 'apprenticeship'],
      applyOn: s.date('2020-04-01'),
      steps: [
        ['start_evaluation', { date: s.date('2020-04-20'), decidedBy: union }],
        ['recognise', { date: s.date('2020-06-30'), decidedBy: union, level: 'county' }],
        ['renew', { date: s.date('2021-12-17'), decidedBy: union }],
        ['warn', { date: s.date('2022-12-20'), decidedBy: union, note: '工作室场地被挪作仓库，限期整改' }],
        ['renew', { date: s.date('2023-04-10'), decidedBy: union, note: '整改到位' }],
        ['reconfirm', { date: s.date('2023-06-20'), decidedBy: union }],
        ['delist', { date: s.date('2024-06-18'), decidedBy: union, note: '年度考核不合格：工作室长期停止运行，领办人已调离' }],
      ],
      funding: [{ year: s.year(2020), kind: 'new_studio', amountYuan: 20000, source: '肥西县总工会', receivedOn: s.date('2020-09-10') }],
    },
    {
      key: 'sanheCraft',
      kind: 'traditional_craft',
      hostKey: 'sanheAgri',
      leader: { skip: 1 },
      honours: ['intangible_heritage_inheritor'],
      name: (n) => `${n}三河传统农具制作技艺工作室`,
      field: '传统农具制作技艺',
      topics: ['木犁制作', '竹编农具', '传统榫卯'],
      siteAreaM2: 80,
      foundedOn: s.date('2021-10-01'),
      functions: ['craft_heritage', 'apprenticeship'],
      applyOn: s.date('2022-10-08'),
      steps: [
        ['start_evaluation', { date: s.date('2022-11-01'), decidedBy: union }],
        ['recognise', { date: s.date('2022-12-30'), decidedBy: union, level: 'county' }],
        ['renew', { date: s.date('2023-12-20'), decidedBy: union }],
        ['renew', { date: s.date('2024-12-18'), decidedBy: union }],
        ['expire', { date: s.date('2026-01-05'), decidedBy: union, note: '认定期满，复核材料尚未报送' }],
      ],
      funding: [{ year: s.year(2023), kind: 'new_studio', amountYuan: 20000, source: '肥西县总工会', receivedOn: s.date('2023-03-15') }],
    },
    {
      key: 'zipengRejected',
      kind: 'blue_collar',
      hostKey: 'zipengFire',
      leader: { skip: 1 },
      honours: ['technical_expert_county'],
      name: (n) => `${n}应急救援蓝领创新工作室`,
      field: '应急救援',
      topics: ['应急救援'],
      siteAreaM2: 40,
      foundedOn: s.date('2023-08-01'),
      functions: ['technical_innovation'],
      applyOn: s.date('2024-03-08'),
      steps: [
        ['start_evaluation', { date: s.date('2024-03-30'), decidedBy: union }],
        ['reject', { date: s.date('2024-06-20'), decidedBy: joint, note: '联合绩效评估得分未达认定线' }],
      ],
    },
    {
      key: 'huaibeiPower',
      kind: 'model_worker',
      hostKey: 'huaibeiPower',
      leader: {},
      honours: ['model_worker_province'],
      name: (n) => `${n}劳模创新工作室`,
      field: '配电线路检修',
      topics: ['配电线路', '绝缘子更换', '拉线制作'],
      siteAreaM2: 200,
      foundedOn: s.date('2019-04-01'),
      functions: ['technical_innovation', 'problem_tackling', 'apprenticeship'],
      applyOn: s.date('2021-03-01'),
      steps: [
        ['start_evaluation', { date: s.date('2021-03-20'), decidedBy: body('union', 'huaibei') }],
        ['recognise', { date: s.date('2021-04-28'), decidedBy: body('union', 'anhui'), level: 'province' }],
        ['reconfirm', { date: s.date('2024-04-10'), decidedBy: body('union', 'anhui') }],
      ],
      funding: [{ year: s.year(2021), kind: 'new_studio', amountYuan: 50000, source: '安徽省总工会', receivedOn: s.date('2021-06-30') }],
    },
    // Applications of 2026, in the joint evaluation round below.
    {
      key: 'zipeng',
      kind: 'blue_collar',
      hostKey: 'zipengFire',
      leader: {},
      honours: [],
      name: (n) => `${n}应急救援蓝领创新工作室`,
      field: '应急救援',
      topics: ['应急救援', '水域救援'],
      siteAreaM2: 55,
      foundedOn: s.date('2024-05-01'),
      functions: ['technical_innovation', 'apprenticeship'],
      applyOn: s.date('2026-03-10'),
      steps: [],
    },
    {
      key: 'sanheFire',
      kind: 'worker',
      hostKey: 'sanheFire',
      leader: {},
      honours: ['technical_expert_county'],
      name: (n) => `${n}古镇消防职工创新工作室`,
      field: '古建筑消防',
      topics: ['古建筑防火', '消防巡查'],
      siteAreaM2: 70,
      foundedOn: s.date('2024-09-01'),
      functions: ['technical_innovation', 'problem_tackling'],
      applyOn: s.date('2026-03-12'),
      steps: [],
    },
    {
      key: 'sanheMaster',
      kind: 'skill_master',
      hostKey: 'sanheAgri',
      leader: { maxLevel: 2 },
      honours: [],
      name: (n) => `${n}植保无人机技能大师工作室`,
      field: '植保无人机',
      topics: ['植保飞防', '变量喷洒'],
      siteAreaM2: 120,
      foundedOn: s.date('2024-03-01'),
      functions: ['problem_tackling', 'apprenticeship'],
      applyOn: s.date('2026-03-15'),
      steps: [],
    },
    {
      key: 'huachuanBlue',
      kind: 'blue_collar',
      hostKey: 'huachuan',
      leader: {},
      honours: [],
      name: (n) => `${n}消防安全蓝领创新工作室`,
      field: '企业消防安全',
      topics: ['厂区消防', '危化品存储'],
      siteAreaM2: 45,
      foundedOn: s.date('2025-01-10'),
      functions: ['technical_innovation'],
      applyOn: s.date('2026-03-18'),
      steps: [],
    },
  ];

  const built = new Map<string, { id: number; state: StudioState; plan: StudioPlan; leaderId: number }>();
  const history: StudioState[] = [];
  const record = (studioId: number, step: ReturnType<typeof openApplication> & { ok: true }, evaluationId: number | null = null) => {
    const st = step.step;
    tx.insert(studioSteps)
      .values({
        studioId,
        action: st.action,
        decision: st.decision,
        fromStatus: st.from,
        toStatus: st.to,
        date: st.date,
        body: st.decidedBy.body,
        bodyOrgId: st.decidedBy.organisationId,
        bodyName: st.decidedBy.name,
        level: st.level,
        termEndsOn: st.termEndsOn,
        bannedUntil: st.bannedUntil,
        note: st.note,
        evaluationId,
        recordedBy: st.decidedBy.body === 'hr_bureau' ? hrAccount : studioAccount,
      })
      .run();
  };
  const saveState = (id: number, st: StudioState) =>
    tx.update(studios)
      .set({ status: st.status, level: st.level, recognisedOn: st.recognisedOn, termStartsOn: st.termStartsOn, termEndsOn: st.termEndsOn, bannedUntil: st.bannedUntil, lastStepOn: st.lastStepOn })
      .where(eq(studios.id, id))
      .run();
  const decide = (key: string, action: StudioAction, ctx: TransitionContext, evaluationId: number | null = null) => {
    const b = built.get(key)!;
    const result = transition(b.state, action, ctx);
    if (!result.ok) throw new Error(`demo seed: ${key} ${action} refused: ${result.reason}`);
    b.state = result.state;
    record(b.id, result, evaluationId);
    saveState(b.id, b.state);
  };

  for (const plan of plans) {
    const leader = pickLeader(plan.hostKey, plan.leader);
    const hostId = s.orgId(plan.hostKey);
    const hostName = orgName(plan.hostKey);
    const opened = openApplication(
      { kind: plan.kind, hostEmployerId: hostId, leaderPersonId: leader.id, leader: { honours: plan.honours, skillLevel: leader.level as 1 | 2 | 3 | 4 | 5 | null } },
      history,
      { date: plan.applyOn, decidedBy: { body: 'applicant', organisationId: hostId, name: hostName } },
    );
    if (!opened.ok) throw new Error(`demo seed: ${plan.key} application refused: ${opened.reason}`);
    const row = tx
      .insert(studios)
      .values({
        name: plan.name(leader.name),
        kind: plan.kind,
        hostEmployerId: hostId,
        leaderPersonId: leader.id,
        leaderHonours: plan.honours,
        field: plan.field,
        siteAreaM2: plan.siteAreaM2,
        foundedOn: plan.foundedOn,
        functions: plan.functions,
        description: `依托${hostName}，围绕${plan.field}开展${plan.topics.slice(0, 2).join('、')}等方面的技术革新和带徒传技。`,
        status: opened.state.status,
        lastStepOn: opened.state.lastStepOn,
      })
      .returning({ id: studios.id })
      .get();
    built.set(plan.key, { id: row.id, state: opened.state, plan, leaderId: leader.id });
    record(row.id, opened);
    for (const [action, ctx] of plan.steps) decide(plan.key, action, ctx);
    history.push(built.get(plan.key)!.state);
    for (const f of plan.funding ?? []) tx.insert(studioFunding).values({ studioId: row.id, ...f }).run();
    // Members: the host's other workers (not leading a studio of their own).
    const others = pool.filter((p) => p.employerId === hostId && p.id !== leader.id && !usedLeaders.has(p.id)).slice(0, 3);
    others.forEach((p, i) =>
      tx.insert(studioMembers).values({ studioId: row.id, personId: p.id, role: i === 0 ? 'core' : i === 1 ? 'member' : 'apprentice', joinedOn: plan.foundedOn }).run(),
    );
  }

  // Achievements: yearly records from 2023 (or the recognition year) while the studio is active.
  const SCALE: Record<StudioLevel, number> = { national_demonstration: 1.8, province: 1.4, city: 1.1, county: 0.8 };
  const SUFFIXES = ['工艺改进', '工装夹具改良', '作业流程优化', '检测方法创新', '安全防护装置改进', '智能监测装置', '节能降耗改造', '故障快速诊断方法'];
  let patentSerial = 1;
  const day = (year: number) => `${year}-${String(rng.int(1, year === s.year(2026) ? 10 : 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
  for (const { id, state, plan, leaderId } of built.values()) {
    if (!state.recognisedOn) continue;
    const firstYear = Math.max(s.year(2023), Number(state.recognisedOn.slice(0, 4)));
    const lastYear = state.status === 'delisted' ? Number(state.lastStepOn.slice(0, 4)) : state.status === 'expired' ? s.year(2025) : s.year(2026);
    const members = tx.select({ personId: studioMembers.personId }).from(studioMembers).where(eq(studioMembers.studioId, id)).all().map((m) => m.personId);
    const credited = [leaderId, ...members];
    for (let year = firstYear; year <= lastYear; year++) {
      const scale = SCALE[state.level ?? 'county'] * (year === s.year(2026) ? 0.8 : 1);
      const add = (values: Omit<typeof studioAchievements.$inferInsert, 'studioId' | 'year'>) => {
        tx.insert(studioAchievements).values({ studioId: id, year, ...values }).run();
      };
      const title = () => `${rng.pick(plan.topics)}${rng.pick(SUFFIXES)}`;
      for (let i = Math.max(1, Math.round(scale * rng.int(2, 4))); i > 0; i--)
        add({ type: 'innovation_result', count: 1, title: title(), personId: rng.pick(credited), achievedOn: day(year) });
      const patents: ['invention' | 'utility_model' | 'design', number][] = [
        ['invention', Math.round(scale * rng.int(0, 1))],
        ['utility_model', Math.round(scale * rng.int(1, 3))],
        ['design', rng.next() < 0.3 ? 1 : 0],
      ];
      for (const [kind, n] of patents)
        for (let i = 0; i < n; i++) {
          const digit = kind === 'invention' ? 1 : kind === 'utility_model' ? 2 : 3;
          add({
            type: 'patent',
            patentKind: kind,
            count: 1,
            patentNumber: `ZL${year}${digit}${String(1_000_000 + patentSerial++ * 7919).slice(-7)}.${rng.int(0, 9)}`,
            title: `一种${rng.pick(plan.topics)}${kind === 'design' ? '外壳' : '装置'}`,
            personId: rng.pick(credited),
            achievedOn: day(year),
          });
        }
      for (let i = Math.round(scale * rng.int(0, 2)); i > 0; i--)
        add({ type: 'technical_breakthrough', count: 1, title: `${rng.pick(plan.topics)}技术攻关`, achievedOn: day(year) });
      add({ type: 'five_smalls', count: Math.max(1, Math.round(scale * rng.int(1, 4))), title: `${year}年度“五小”成果` });
      add({ type: 'economic_benefit', amountYuan: Math.round((scale * rng.int(200_000, 1_500_000)) / 100) * 100, title: `${year}年度创效节支`, note: '经企业财务部门确认' });
      const trained = Math.round(scale * rng.int(plan.kind === 'skill_master' ? 18 : 4, plan.kind === 'skill_master' ? 40 : 12));
      add({ type: 'apprentices', trained, promoted: Math.round(trained * rng.between(0.2, 0.5)) });
    }
  }

  // Reviewer accounts: outside experts for each body, read-only apart from their scoring sheets.
  const reviewerAccounts = [
    { username: 'reviewer-u1', org: 'feixi', displayName: '工会评审专家（国网肥西县供电公司）' },
    { username: 'reviewer-u2', org: 'feixi', displayName: '工会评审专家（安徽华川精密制造）' },
    { username: 'reviewer-h1', org: 'feixiHr', displayName: '人社评审专家（三河镇专职消防队）' },
    { username: 'reviewer-h2', org: 'feixiHr', displayName: '人社评审专家（肥西县职业技术学校）' },
  ].map((a) => ({
    ...a,
    id: tx.insert(accounts).values({ username: a.username, displayName: a.displayName, passwordHash, orgId: s.orgId(a.org), role: 'viewer' }).returning({ id: accounts.id }).get().id,
  }));
  s.counts.accounts += reviewerAccounts.length;

  // The joint evaluation round of 2026: four applicants, three reviewers per body, weights 60 / 40, threshold 80.
  const round = tx
    .insert(studioEvaluations)
    .values({
      orgId: feixi.id,
      name: `${s.year(2026)}年度肥西县创新工作室联合绩效评估`,
      year: s.year(2026),
      sheet: indicatorSheetPreset,
      unionWeight: 60,
      hrWeight: 40,
      threshold: 80,
      aggregation: { union: { kind: 'mean' }, hr_bureau: { kind: 'mean' } },
    })
    .returning({ id: studioEvaluations.id })
    .get();
  const applicants = ['zipeng', 'sanheFire', 'sanheMaster', 'huachuanBlue'];
  for (const key of applicants) {
    decide(key, 'start_evaluation', { date: s.date('2026-04-15'), decidedBy: joint, note: `${s.year(2026)}年度肥西县创新工作室联合绩效评估` }, round.id);
    tx.insert(studioEvaluationApplicants).values({ evaluationId: round.id, studioId: built.get(key)!.id }).run();
  }
  const panel = [
    { accountId: studioAccount, body: 'union' as const, employerKey: null },
    { accountId: reviewerAccounts[0]!.id, body: 'union' as const, employerKey: 'feixiPower' },
    { accountId: reviewerAccounts[1]!.id, body: 'union' as const, employerKey: 'huachuan' },
    { accountId: hrAccount, body: 'hr_bureau' as const, employerKey: null },
    { accountId: reviewerAccounts[2]!.id, body: 'hr_bureau' as const, employerKey: 'sanheFire' },
    { accountId: reviewerAccounts[3]!.id, body: 'hr_bureau' as const, employerKey: 'feixiSchool' },
  ].map((r) => ({
    ...r,
    employerId: r.employerKey ? s.orgId(r.employerKey) : null,
    id: tx
      .insert(studioEvaluationReviewers)
      .values({ evaluationId: round.id, accountId: r.accountId, body: r.body, employerId: r.employerKey ? s.orgId(r.employerKey) : null })
      .returning({ id: studioEvaluationReviewers.id })
      .get().id,
  }));
  // How good each applicant is (share of the maximum), so one stays below the threshold.
  const quality: Record<string, number> = { zipeng: 0.72, sanheFire: 0.86, sanheMaster: 0.91, huachuanBlue: 0.84 };
  const scoreRows: (typeof studioEvaluationScores.$inferInsert)[] = [];
  for (const reviewer of panel) {
    const bias = rng.between(-0.03, 0.03);
    for (const key of applicants) {
      const studio = built.get(key)!;
      if (reviewer.employerId !== null && reviewer.employerId === studio.state.hostEmployerId) continue; // 回避
      // Left to score in the demo: the county union's own sheet for one applicant.
      if (reviewer.accountId === studioAccount && key === 'zipeng') continue;
      for (const item of indicatorSheetPreset.items) {
        const share = clamp(quality[key]! + bias + rng.between(-0.06, 0.06), 0.4, 1);
        scoreRows.push({
          evaluationId: round.id,
          reviewerId: reviewer.id,
          studioId: studio.id,
          itemId: item.id,
          points: Math.round(item.max * share * 2) / 2,
          enteredAt: at(s.date('2026-05-20'), 9 + panel.indexOf(reviewer), applicants.indexOf(key) * 10),
        });
      }
    }
  }
  tx.insert(studioEvaluationScores).values(scoreRows).run();

  // The 电力行业 alliance: three studios and a school, the lead rotating each March.
  const alliance = tx
    .insert(studioAlliances)
    .values({
      orgId: feixi.id,
      name: '肥西县电力行业创新工作室联盟',
      field: '电力',
      foundedOn: s.date('2023-03-28'),
      description: '由国网肥西县供电公司牵头发起，联合县内电力施工、钢结构、无人机应用工作室和职业院校，开展联合攻关、成果共享和技能人才联合培养，牵头单位每年轮值。',
    })
    .returning({ id: studioAlliances.id })
    .get();
  const member = (values: Omit<typeof studioAllianceMembers.$inferInsert, 'allianceId'>) =>
    tx.insert(studioAllianceMembers).values({ allianceId: alliance.id, ...values }).returning({ id: studioAllianceMembers.id }).get().id;
  const mPower = member({ memberType: 'studio', studioId: built.get('power')!.id, status: 'approved', appliedOn: s.date('2023-03-01'), decidedOn: s.date('2023-03-28'), note: '发起单位' });
  const mDrone = member({ memberType: 'studio', studioId: built.get('xiangyu')!.id, status: 'approved', appliedOn: s.date('2023-03-05'), decidedOn: s.date('2023-03-28') });
  const mWeld = member({ memberType: 'studio', studioId: built.get('dingliMaster')!.id, status: 'approved', appliedOn: s.date('2023-03-06'), decidedOn: s.date('2023-03-28') });
  const mSchool = member({ memberType: 'employer', employerId: s.orgId('feixiSchool'), status: 'approved', appliedOn: s.date('2023-09-10'), decidedOn: s.date('2023-10-12'), note: '联合培训基地' });
  member({ memberType: 'employer', employerId: s.orgId('huachuan'), status: 'applied', appliedOn: s.date('2026-10-20'), note: '申请加入，拟参与输变电结构件焊接攻关' });
  const leads: [number, string, string | null][] = [
    [mPower, s.date('2023-03-28'), s.date('2024-03-28')],
    [mDrone, s.date('2024-03-28'), s.date('2025-03-28')],
    [mWeld, s.date('2025-03-28'), s.date('2026-03-28')],
    [mSchool, s.date('2026-03-28'), null],
  ];
  for (const [memberId, fromDate, toDate] of leads) tx.insert(studioAllianceLeads).values({ allianceId: alliance.id, memberId, fromDate, toDate }).run();
  tx.insert(studioAllianceProjects)
    .values([
      {
        allianceId: alliance.id,
        name: '输电铁塔焊接工艺改进与带电作业工器具优化',
        description: '针对铁塔构件焊接变形和带电作业工器具笨重的问题联合攻关。',
        status: 'completed',
        startedOn: s.date('2023-06-01'),
        endedOn: s.date('2024-12-20'),
        memberIds: [mPower, mWeld],
        outcome: '形成实用新型专利2项，年节约检修成本约38万元',
      },
      {
        allianceId: alliance.id,
        name: '10千伏配电线路无人机智能巡检',
        description: '无人机自主航线巡检与缺陷图像识别，替代人工登杆巡视。',
        status: 'ongoing',
        startedOn: s.date('2024-05-01'),
        endedOn: null,
        memberIds: [mPower, mDrone],
        outcome: '',
      },
      {
        allianceId: alliance.id,
        name: '电力行业技能人才联合培训',
        description: '依托职业技术学校实训基地，联盟工作室轮流授课带徒。',
        status: 'ongoing',
        startedOn: s.date('2025-09-01'),
        endedOn: null,
        memberIds: [mPower, mWeld, mSchool],
        outcome: '',
      },
    ])
    .run();

  seedFiveSmalls(s, built);
}

const FIVE_SMALLS_TITLES = [
  '植保无人机药箱防溢流盖', '消防水带快速收卷器', '焊接坡口打磨定位工装', '配电箱防误操作挂锁', '无人机电池低温保温箱',
  '破拆工具快速更换卡扣', '钢结构螺栓预紧力检测尺', '管道预制件编号喷码模板', '应急照明灯快速固定支架', '高空作业工具防坠绳',
  '焊缝余高测量卡尺', '水带接口密封圈更换器', '农机具维修移动工作台', '车间粉尘收集小风道', '配电线路验电器伸缩杆',
  '吊装钢丝绳防滑卡', '消防车水泵异响判别法', '电焊机二次线快速接头', '农药配比刻度量杯', '仓库危化品分区标识改进',
  '古建筑木构件防火涂刷架', '装配式构件吊点定位板', '巡检记录二维码化', '钢板切割余料利用方案', '无人机航线复用模板',
  '水域救援抛投器改进', '焊接烟尘移动吸附罩', '消防器材月检表格优化', '机电安装支吊架预制模具', '绝缘手套充气检漏器',
  '农机调度微信小程序建议', '夜间作业反光标识改进', '焊条烘干箱温控改造', '灭火器压力巡检挂牌', '安全帽内衬吸汗垫',
  '钢筋调直机防护罩', '配电房防小动物挡板', '空压机余热利用建议', '厂区消防通道标线优化', '输液式植保喷头防堵网',
  '工具箱形影管理板', '电缆沟盖板提升钩', '车间照明分区控制改造', '施工升降机限位检查卡', '消防水源地图标注', '无人机螺旋桨动平衡检测架',
];

/** The awarded five-smalls campaign of 2025 (see seedStudios). */
function seedFiveSmalls(s: Seeder, built: Map<string, { id: number; state: StudioState; plan: StudioPlan; leaderId: number }>): void {
  const { tx, rng } = s;
  const feixi = s.org.get('feixi')!;
  const campaign = tx
    .insert(fiveSmallsCampaigns)
    .values({
      orgId: feixi.id,
      name: `${s.year(2025)}年度肥西县职工“五小”创新成果评选`,
      year: s.year(2025),
      screening: {
        categories: ['invention', 'creation', 'innovation', 'design', 'suggestion'],
        completedFrom: s.date('2024-01-01'),
        completedTo: s.date('2025-09-30'),
        requireImplemented: true,
        excludePreviouslyAwarded: true,
        maxEntriesPerSubmitter: 2,
      },
      maxPoints: 100,
      requireAllDepartments: true,
      tiers: { counts: [1, 2, 3], prizeMoney: [3000, 2000, 1000], ties: 'include' },
      status: 'awarded',
      awardedOn: s.date('2025-12-26'),
    })
    .returning({ id: fiveSmallsCampaigns.id })
    .get();
  const departments = [
    { name: '肥西县总工会', organisationId: s.orgId('feixi'), weights: { economic: 2, social: 1, safety: 1, management: 1 } },
    { name: '肥西县应急管理局', organisationId: s.orgId('feixiEmergency'), weights: { economic: 1, social: 1, safety: 3, management: 1 } },
    { name: '肥西县人力资源和社会保障局', organisationId: s.orgId('feixiHr'), weights: { economic: 1, social: 1, safety: 1, management: 1 } },
  ].map((d) => ({ ...d, id: tx.insert(fiveSmallsDepartments).values({ campaignId: campaign.id, ...d }).returning({ id: fiveSmallsDepartments.id }).get().id }));

  // Feixi workers (registered by the county union) and a few recognised studios submit.
  const feixiUnion = s.orgId('feixi');
  const workers = tx.select({ id: people.id, employerId: people.employerId }).from(people).where(eq(people.orgId, feixiUnion)).orderBy(sqlAsc(people.id)).all();
  const studioSubmitters = ['power', 'huachuanCraft', 'dingliMaster', 'taohuaFire'].map((k) => built.get(k)!);
  const categories = ['invention', 'creation', 'innovation', 'design', 'suggestion'] as const;
  type Entry = typeof fiveSmallsEntries.$inferInsert;
  const entries: Entry[] = FIVE_SMALLS_TITLES.map((title, i) => {
    const byStudio = i % 9 === 4;
    const studio = studioSubmitters[i % studioSubmitters.length]!;
    const worker = workers[(i * 7) % workers.length]!;
    const category = title.endsWith('建议') ? 'suggestion' : categories[i % 4]!;
    return {
      campaignId: campaign.id,
      category,
      title,
      submitterType: byStudio ? 'studio' : 'worker',
      personId: byStudio ? null : worker.id,
      studioId: byStudio ? studio.id : null,
      employerId: byStudio ? studio.state.hostEmployerId : worker.employerId,
      completedOn: `${rng.pick([s.year(2024), s.year(2025)])}-${String(rng.int(1, 9)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
      implemented: category === 'suggestion' ? false : true,
      previouslyAwarded: false,
      summary: `${title}：已在班组推广使用，减少了重复劳动和作业风险。`,
    };
  });
  // What the screening group found (资格审查).
  entries[3] = { ...entries[3]!, implemented: false, summary: '样品阶段，尚未在生产中使用' };
  entries[11] = { ...entries[11]!, implemented: false };
  entries[17] = { ...entries[17]!, completedOn: s.date('2023-11-20') };
  entries[22] = { ...entries[22]!, previouslyAwarded: true };
  entries[29] = { ...entries[29]!, exclusionReason: '经核查，所报经济效益未经财务部门确认' };
  // A resubmission of entry 1 by the same worker (duplicate) and a third entry of one worker (over the limit of two).
  entries.push({ ...entries[0]!, summary: '重复提交' });
  const heavy = entries[2]!;
  for (const i of [10, 40]) entries[i] = { ...entries[i]!, submitterType: 'worker', personId: heavy.personId, studioId: null, employerId: heavy.employerId };
  const ids = entries.map((e) => tx.insert(fiveSmallsEntries).values(e).returning({ id: fiveSmallsEntries.id }).get().id);

  // Every department scores every entry that passed screening: the screening rules are the domain's.
  const screened = screenFiveSmalls(
    entries.map((e, i) => ({
      id: ids[i]!,
      category: e.category,
      title: e.title,
      submitter: { type: e.submitterType, id: (e.submitterType === 'worker' ? e.personId : e.studioId)! },
      completedOn: e.completedOn,
      implemented: e.implemented,
      previouslyAwarded: e.previouslyAwarded ?? false,
    })),
    {
      completedFrom: s.date('2024-01-01'),
      completedTo: s.date('2025-09-30'),
      maxEntriesPerSubmitter: 2,
      exclusions: entries.flatMap((e, i) => (e.exclusionReason ? [{ entryId: ids[i]!, reason: e.exclusionReason }] : [])),
    },
  );
  const rows: (typeof fiveSmallsScores.$inferInsert)[] = [];
  for (const entry of screened.eligible) {
    const merit = rng.between(0.55, 0.95);
    for (const d of departments)
      for (const criterion of ['economic', 'social', 'safety', 'management'] as const)
        rows.push({ campaignId: campaign.id, entryId: entry.id, departmentId: d.id, criterion, points: Math.round(100 * clamp(merit + rng.between(-0.08, 0.08), 0.3, 1)) });
  }
  tx.insert(fiveSmallsScores).values(rows).run();
}

// ---------------------------------------------------------------------------------------------
// Craftsman selection (工匠评选). Imports kept with the function that uses them.

import { craftsmanCandidates, craftsmanObjections, craftsmanRewardPayments, craftsmanSelections, personTitles } from './schema.ts';
import { HONOUR_NAMES } from '../server/contracts/studios.ts';
import { nominationFormSchema, SELECTION_PRESETS, type NominationForm } from '../server/contracts/selections.ts';
import { ageOn, amountDue, certificateNumber, checkEligibility, namingDay, selectionPublicityEnd, termEnds, type EligibilityResult, type SkillCondition } from '../server/domain/selections/index.ts';
import { isWorkingDay, nextDate } from '../server/domain/working-days.ts';
import { ensureTitleType } from '../server/features/titles/titles.service.ts';

type Trade = '焊工' | '电工' | '消防员' | '无人机驾驶员';

/** What a nomination form says, by occupation: positions, achievements, innovations and patents a worker of the trade might have. */
const TRADE_FORMS: Record<Trade, { positions: string[]; achievements: string[]; innovations: string[]; patents: string[] }> = {
  焊工: {
    positions: ['焊接班班长', '焊接工艺组组长', '结构车间电焊工'],
    achievements: [
      '攻克厚板多层多道焊变形难题，产品一次探伤合格率由92%提高到99.3%',
      '总结“短弧摆动焊接操作法”，在公司推广后单件焊接工时缩短18%',
      '承担重点工程钢结构焊接，连续5年无质量事故',
    ],
    innovations: ['焊接坡口打磨定位工装', '薄板焊接防变形夹具'],
    patents: ['一种钢结构焊接用定位夹具', '一种焊缝余高测量装置'],
  },
  电工: {
    positions: ['电气维修班班长', '运维电工', '电气安装组组长'],
    achievements: [
      '主持车间配电系统节能改造，年节电36万千瓦时',
      '总结“低压配电故障快速判别法”，故障平均处理时间缩短40%',
      '承担重点工程电气安装调试，连续5年零差错',
    ],
    innovations: ['配电箱防误操作挂锁', '绝缘手套充气检漏器'],
    patents: ['一种配电线路验电器伸缩杆', '一种低压电缆分支箱防护装置'],
  },
  消防员: {
    positions: ['战斗班班长', '特勤班副班长', '消防战斗员'],
    achievements: [
      '参加灭火救援300余次，营救被困群众40余人',
      '总结“狭小空间破拆四步法”，被列为队站日常训练科目',
      '负责辖区重点单位消防巡查，建立“一企一档”隐患台账',
    ],
    innovations: ['破拆工具快速更换卡扣', '消防水带快速收卷器'],
    patents: ['一种消防水带快速收卷装置', '一种破拆工具快换接头'],
  },
  无人机驾驶员: {
    positions: ['植保飞防队队长', '无人机飞手', '航测作业组组长'],
    achievements: [
      '累计完成植保飞防作业12万亩次，作业事故为零',
      '研究丘陵地块变量喷洒航线规划方法，农药用量减少15%',
      '开展无人机应急侦察和航测作业，年完成任务200余架次',
    ],
    innovations: ['无人机电池低温保温箱', '无人机航线复用模板'],
    patents: ['一种植保无人机药箱防溢流盖', '一种无人机螺旋桨动平衡检测架'],
  },
};

/** One nomination of the demo selections: who (by occupation), how they came in, what they declare, how it ended. */
type NominationPlan = {
  trade: Trade;
  /** unit: by the employer; county: by 肥西县总工会; self: a self-nomination recorded by staff; forwarded: a county title holder sent up by 肥西县总工会. */
  by: 'unit' | 'county' | 'self' | 'forwarded';
  /** The county title a forwarded nomination carries. */
  forwardedTitleId?: number;
  conditions: SkillCondition[];
  /** Finished selection: named, given the nomination award, or left off the list; the ineligible ones say why. */
  outcome?: 'title' | 'nomination_award' | 'not_selected';
  ineligible?: 'too_few_years' | 'executive' | 'no_skill_condition';
  /** The person: the best certified of the trade still free (default), or the youngest. */
  pick?: 'best' | 'youngest';
};

/**
 * The city union's 合肥工匠 selections, from the preset (10 a year, 20,000 yuan once, 提名奖 5,000),
 * co-organised by the city HR bureau: last year's, finished — 15 Feixi workers nominated (two
 * ineligible, with the rules' reasons), a ranked list with review scores set by hand, one objection
 * dismissed, 10 named with certificates on the naming date, two nomination awards, rewards paid
 * but for two — and this year's, taking nominations (six so far, one ineligible, one a 肥西名匠
 * forwarded by the county union, which named two last spring).
 *
 * The demo has no approved 合肥工匠 recommendations from a competition (the organiser generates
 * them from a released competition's results and imports them); studio leaders declare the
 * honours their studio lists. Eligibility and certificate numbers come from the selection domain,
 * as the API computes them. The first Feixi workers are left out (the browser test nominates them).
 */
function seedCraftsmanSelections(s: Seeder): void {
  const { tx, rng } = s;
  const preset = SELECTION_PRESETS.hefei_craftsman!;
  const hefei = s.org.get('hefei')!;
  const organiser = s.accountId('hefei-organiser');
  const calendar = workingCalendar(tx);
  const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const workingDayFrom = (day: string) => {
    let d = day;
    while (!isWorkingDay(d, calendar)) d = nextDate(d);
    return d;
  };
  const titleType = ensureTitleType(tx, hefei, preset.title, preset.reward.kind === 'one_off' ? preset.reward.yuan : 0);

  // Feixi workers by occupation; studio leaders with their declared honours (a 工匠 already is not nominated again).
  const workers = tx
    .select({
      id: people.id,
      birthDate: people.birthDate,
      skillLevel: people.skillLevel,
      occupationCode: people.occupationCode,
      occupationName: people.occupationName,
      employerId: people.employerId,
    })
    .from(people)
    .where(eq(people.orgId, s.orgId('feixi')))
    .orderBy(sqlAsc(people.id))
    .all()
    .slice(4);
  const leads = new Map<number, { name: string; honours: string[] }>();
  for (const st of tx.select({ personId: studios.leaderPersonId, name: studios.name, honours: studios.leaderHonours }).from(studios).all())
    leads.set(st.personId, { name: st.name, honours: st.honours });
  const used = new Set(workers.filter((w) => leads.get(w.id)?.honours.includes('craftsman')).map((w) => w.id));
  const take = (plan: NominationPlan) => {
    const free = workers.filter((w) => w.occupationName === plan.trade && !used.has(w.id));
    free.sort(plan.pick === 'youngest' ? (a, b) => b.birthDate.localeCompare(a.birthDate) || a.id - b.id : (a, b) => (a.skillLevel ?? 9) - (b.skillLevel ?? 9) || a.id - b.id);
    const w = free[0];
    if (!w?.employerId) throw new Error(`demo seed: no ${plan.trade} left for the craftsman selection`);
    used.add(w.id);
    return { ...w, employerId: w.employerId };
  };
  type Worker = ReturnType<typeof take>;

  /** The form as the nominating unit filled it in, consistent with the person's age and trade. */
  const formFor = (w: Worker, plan: NominationPlan, on: string): NominationForm => {
    const text = TRADE_FORMS[plan.trade];
    const age = ageOn(w.birthDate, on);
    const lead = leads.get(w.id);
    const years = plan.ineligible === 'too_few_years' ? 3 : plan.ineligible === 'executive' ? age - 21 : clamp(age - 20 - rng.int(0, 4), 5, age - 18);
    const patentYear = year(on) - rng.int(1, 5);
    return nominationFormSchema.parse({
      position: plan.ineligible === 'executive' ? '副总经理（分管生产）' : rng.pick(text.positions),
      frontLine: plan.ineligible !== 'executive',
      yearsInTrade: years,
      stillInTrade: true,
      skillConditions: plan.conditions,
      achievements: [
        ...rng.shuffle(text.achievements).slice(0, 2),
        ...(plan.conditions.includes('top_contest') ? [`安徽省职工职业技能大赛${plan.trade}项目第一名`] : []),
        ...(lead ? [`领办${lead.name}`] : []),
      ],
      patents: rng.next() < 0.6 ? [{ title: rng.pick(text.patents), number: `ZL${patentYear}2${String(rng.int(0, 9_999_999)).padStart(7, '0')}.${rng.int(0, 9)}` }] : [],
      innovations: [rng.pick(text.innovations)],
      apprentices: plan.ineligible === 'too_few_years' ? 0 : rng.int(3, 18),
      honours: [...(lead?.honours ?? []).map((h) => HONOUR_NAMES[h] ?? h), ...(w.skillLevel !== null && w.skillLevel <= 2 ? ['肥西县技术能手'] : [])],
      attachments: [{ name: plan.by === 'self' ? '合肥工匠自荐表.pdf' : '合肥工匠推荐表.pdf' }, { name: '职业技能等级证书.pdf' }],
      declaredNoDisciplinaryRecord: true,
    });
  };

  /** Who holds the title (named last year): a title is never conferred twice. */
  const holders = new Set<number>();
  /** The rules as the API applies them, on the day of the nomination. */
  const eligibilityOf = (w: Worker, form: NominationForm, on: string, holdsTitle: boolean): EligibilityResult =>
    checkEligibility(
      preset.eligibilityRules,
      {
        birthDate: w.birthDate,
        skillLevel: w.skillLevel,
        occupationCode: w.occupationCode,
        frontLine: form.frontLine,
        yearsInTrade: form.yearsInTrade,
        stillInTrade: form.stillInTrade,
        skillConditions: form.skillConditions,
        declaredNoDisciplinaryRecord: form.declaredNoDisciplinaryRecord,
        holdsTitle,
      },
      on,
    );

  const nominate = (selectionId: number, plan: NominationPlan, on: string, when: Date, w: Worker = take(plan)) => {
    const form = formFor(w, plan, on);
    const eligibility = eligibilityOf(w, form, on, holders.has(w.id));
    if (eligibility.eligible === !!plan.ineligible) throw new Error(`demo seed: nomination of ${w.id} expected ${plan.ineligible ?? 'eligible'}, got ${JSON.stringify(eligibility.failures)}`);
    const row = tx
      .insert(craftsmanCandidates)
      .values({
        selectionId,
        personId: w.id,
        source: plan.by === 'self' ? 'self_nomination' : plan.by === 'forwarded' ? 'forwarded' : 'unit_nomination',
        // A forwarded title stands nominated by the union that named it (as nominate() records it).
        nominatingOrgId: plan.by === 'unit' ? w.employerId : plan.by === 'county' || plan.by === 'forwarded' ? s.orgId('feixi') : null,
        forwardedTitleId: plan.forwardedTitleId ?? null,
        form,
        eligibility,
        status: eligibility.eligible ? 'nominated' : 'ineligible',
        recordedBy: organiser,
        createdAt: when,
        updatedAt: when,
      })
      .returning()
      .get();
    s.counts.selectionCandidates++;
    return { row, worker: w };
  };

  // ---- Last year's selection: finished. ----
  const y = year(s.today) - 1;
  const finished = tx
    .insert(craftsmanSelections)
    .values({
      orgId: hefei.id,
      coOrganiserIds: [s.orgId('hefeiHr')],
      name: `${y}年度${preset.name}评选`,
      year: y,
      presetKey: preset.key,
      titleTypeId: titleType.id,
      quota: preset.quota,
      eligibilityRules: preset.eligibilityRules,
      nominationsOpen: `${y}-03-01`,
      nominationsClose: `${y}-04-30`,
      reviewBy: `${y}-06-30`,
      publicityWorkingDays: 5,
      namingDate: workingDayFrom(`${y}-10-26`),
      reward: preset.reward,
      nominationAwardYuan: preset.nominationAwardYuan,
      titleTermYears: preset.titleTermYears,
      status: 'nominating',
      createdAt: at(`${y}-02-20`, 10, 0),
    })
    .returning()
    .get();
  s.counts.selections++;
  const plans: NominationPlan[] = [
    { trade: '焊工', by: 'unit', conditions: ['top_contest', 'unique_technique'], outcome: 'title' },
    { trade: '电工', by: 'unit', conditions: ['major_innovation'], outcome: 'title' },
    { trade: '消防员', by: 'unit', conditions: ['unique_technique'], outcome: 'title' },
    { trade: '焊工', by: 'county', conditions: ['trade_standing'], outcome: 'title' },
    { trade: '电工', by: 'self', conditions: ['unique_technique'], outcome: 'title' },
    { trade: '无人机驾驶员', by: 'unit', conditions: ['major_innovation'], outcome: 'title' },
    { trade: '消防员', by: 'county', conditions: ['trade_standing', 'unique_technique'], outcome: 'title' },
    { trade: '焊工', by: 'unit', conditions: ['unique_technique'], outcome: 'title' },
    { trade: '电工', by: 'county', conditions: ['trade_standing'], outcome: 'title' },
    { trade: '消防员', by: 'unit', conditions: ['trade_standing'], outcome: 'title' },
    { trade: '无人机驾驶员', by: 'unit', conditions: ['unique_technique'], outcome: 'nomination_award' },
    { trade: '电工', by: 'unit', conditions: ['trade_standing'], outcome: 'nomination_award' },
    { trade: '焊工', by: 'unit', conditions: ['trade_standing'], outcome: 'not_selected' },
    { trade: '无人机驾驶员', by: 'unit', conditions: ['unique_technique'], ineligible: 'too_few_years', pick: 'youngest' },
    { trade: '焊工', by: 'unit', conditions: ['trade_standing'], ineligible: 'executive' },
  ];
  // Nominations came in over the two months, in no particular order.
  const nominationDays = rng.shuffle(plans.map((_, i) => i)).map((k) => workingDayFrom(addDays(`${y}-03-02`, k * 3)));
  const nominated = plans.map((plan, i) => ({ plan, ...nominate(finished.id, plan, nominationDays[i]!, at(nominationDays[i]!, 9 + (i % 7), (i * 13) % 60)) }));

  // The review: the proposed list set by hand (ranked, scored), the one left off not selected.
  const listedOn = at(workingDayFrom(`${y}-08-25`), 15, 0);
  const listed = nominated.filter((n) => n.plan.outcome === 'title' || n.plan.outcome === 'nomination_award');
  let score = 96 + rng.between(0, 1.5);
  listed.forEach((n, i) => {
    tx.update(craftsmanCandidates)
      .set({ status: 'proposed', rank: i + 1, reviewScore: Math.round(score * 10) / 10, proposedAward: n.plan.outcome as 'title' | 'nomination_award', updatedAt: listedOn })
      .where(eq(craftsmanCandidates.id, n.row.id))
      .run();
    score -= rng.between(0.4, 1.6);
  });
  for (const n of nominated.filter((x) => x.plan.outcome === 'not_selected'))
    tx.update(craftsmanCandidates).set({ status: 'not_selected', updatedAt: listedOn }).where(eq(craftsmanCandidates.id, n.row.id)).run();

  // Publicity: five working days from a working morning in September; one objection, dismissed.
  const publicityStartsAt = at(workingDayFrom(`${y}-09-08`), 9, 0);
  const publicityEndsAt = selectionPublicityEnd(publicityStartsAt, finished.publicityWorkingDays, calendar);
  // Against a craftsman on the list whose form names a patent (the objection is about it).
  const objected = listed.find((n) => n.plan.outcome === 'title' && (n.row.form as NominationForm).patents.length > 0) ?? listed[0]!;
  const lodgedAt = new Date(publicityStartsAt.getTime() + 26 * 3600_000);
  tx.insert(craftsmanObjections)
    .values({
      selectionId: finished.id,
      candidateId: objected.row.id,
      lodgedBy: '某职工（来信）',
      contact: '来信，未留联系方式',
      reason: '反映该同志推荐材料中的专利系班组集体成果，并非本人独立完成，请予核查。',
      lodgedAt,
      recordedBy: organiser,
      decision: 'dismissed',
      decidedAt: new Date(lodgedAt.getTime() + 2 * 86_400_000),
      decidedBy: organiser,
      note: '经向推荐单位核实，该同志为专利第一发明人，单位出具了证明，异议不成立。',
    })
    .run();

  // Naming: certificates numbered in rank order, as the API numbers them, conferred on the naming date.
  const namedAt = at(finished.namingDate!, 10, 0);
  const namedOn = namingDay(finished.namingDate, namedAt);
  const titles = new Map<number, number>();
  let seq = 0;
  for (const n of listed) {
    if (n.plan.outcome === 'nomination_award') {
      tx.update(craftsmanCandidates).set({ status: 'nomination_award', updatedAt: namedAt }).where(eq(craftsmanCandidates.id, n.row.id)).run();
      continue;
    }
    const title = tx
      .insert(personTitles)
      .values({
        personId: n.worker.id,
        titleTypeId: titleType.id,
        conferredAt: namedAt,
        selectionId: finished.id,
        certificateNumber: certificateNumber(finished.year, finished.id, ++seq),
        termEnds: termEnds(namedOn, finished.titleTermYears),
      })
      .returning({ id: personTitles.id })
      .get();
    titles.set(n.row.id, title.id);
    holders.add(n.worker.id);
    s.counts.craftsmanTitles++;
    tx.update(craftsmanCandidates).set({ status: 'named', updatedAt: namedAt }).where(eq(craftsmanCandidates.id, n.row.id)).run();
  }
  tx.update(craftsmanSelections).set({ status: 'named', publicityStartsAt, publicityEndsAt, namedAt }).where(eq(craftsmanSelections.id, finished.id)).run();

  // Rewards: paid in December from the year's budget, but for the last two craftsmen on the list (still due).
  const unpaid = new Set(listed.filter((n) => n.plan.outcome === 'title').slice(-2).map((n) => n.row.id));
  let voucher = 0;
  let payDay = `${y}-12-08`;
  for (const n of listed) {
    if (unpaid.has(n.row.id)) continue;
    payDay = workingDayFrom(payDay);
    tx.insert(craftsmanRewardPayments)
      .values({
        candidateId: n.row.id,
        personTitleId: titles.get(n.row.id) ?? null,
        paidOn: payDay,
        amountYuan: amountDue(n.plan.outcome as 'title' | 'nomination_award', preset.reward, finished.nominationAwardYuan),
        voucherNumber: `HF-GJ-${y}-${String(++voucher).padStart(3, '0')}`,
        budgetYear: y,
        recordedBy: organiser,
        createdAt: at(payDay, 16, 0),
      })
      .run();
    s.counts.rewardPayments++;
    if (voucher % 4 === 0) payDay = nextDate(payDay); // a few vouchers a day
  }

  // ---- The county's own craftsmen: 肥西名匠, named by the Feixi county union last spring (on record
  // here, not run as a selection). One is forwarded to this year's city selection; the other is
  // still on the county's list of title holders it may forward.
  const countyTitle = ensureTitleType(tx, s.org.get('feixi')!, { key: 'feixi_master', name: '肥西名匠', level: 'county' }, 5000);
  const countyNamed = (['电工', '焊工'] as const).map((trade, i) => {
    const worker = take({ trade, by: 'forwarded', conditions: ['trade_standing'] });
    const title = tx
      .insert(personTitles)
      .values({ personId: worker.id, titleTypeId: countyTitle.id, conferredAt: at(workingDayFrom(`${y}-05-18`), 10, 0), certificateNumber: `FXMJ${y}-${String(i + 1).padStart(3, '0')}` })
      .returning({ id: personTitles.id })
      .get();
    s.counts.craftsmanTitles++;
    return { worker, titleId: title.id };
  });

  // ---- This year's selection: taking nominations (opened three weeks ago, closes in a month). ----
  const y0 = year(s.today);
  const opens = [`${y0}-01-01`, s.day(-21)].sort()[1]!;
  const open = tx
    .insert(craftsmanSelections)
    .values({
      orgId: hefei.id,
      coOrganiserIds: [s.orgId('hefeiHr')],
      name: `${y0}年度${preset.name}评选`,
      year: y0,
      presetKey: preset.key,
      titleTypeId: titleType.id,
      quota: preset.quota,
      eligibilityRules: preset.eligibilityRules,
      nominationsOpen: opens,
      nominationsClose: s.day(30),
      reviewBy: s.day(75),
      publicityWorkingDays: 5,
      namingDate: null,
      reward: preset.reward,
      nominationAwardYuan: preset.nominationAwardYuan,
      titleTermYears: preset.titleTermYears,
      status: 'nominating',
      createdAt: at(s.day(-28), 10, 0),
    })
    .returning()
    .get();
  s.counts.selections++;
  // Last year's candidate left off the list, nominated again by the employer; four others so far, one ineligible.
  const again = nominated.find((n) => n.plan.outcome === 'not_selected')!;
  const openPlans: NominationPlan[] = [
    { trade: '焊工', by: 'unit', conditions: ['trade_standing', 'major_innovation'] },
    { trade: '消防员', by: 'unit', conditions: ['unique_technique'] },
    { trade: '电工', by: 'self', conditions: ['major_innovation'] },
    { trade: '无人机驾驶员', by: 'county', conditions: ['trade_standing'] },
    { trade: '消防员', by: 'unit', conditions: [], ineligible: 'no_skill_condition' },
    { trade: '电工', by: 'forwarded', conditions: ['trade_standing'], forwardedTitleId: countyNamed[0]!.titleId },
  ];
  // Nominated over the days since opening (never before it, never after now).
  openPlans.forEach((plan, i) => {
    const on = [opens, s.day(-(18 - i * 3))].sort()[1]!;
    const when = new Date(Math.min(at(on, 10 + i, 20).getTime(), s.now.getTime() - (openPlans.length - i) * 600_000));
    nominate(open.id, plan, on, when, i === 0 ? again.worker : plan.by === 'forwarded' ? countyNamed[0]!.worker : undefined);
  });
}

// ---------------------------------------------------------------------------------------------

/**
 * Loads the demo data set into an empty database (one with no organisations); otherwise does
 * nothing. `secret` is the session secret: judge codes are stored as tokenHash(secret, code).
 */
export async function seedDemoData(db: Db, opts: { secret: string; now: Date }): Promise<void> {
  const isEmpty = () => db.select({ id: organisations.id }).from(organisations).limit(1).get() === undefined;
  if (!isEmpty()) return;
  // One scrypt hash shared by every demo account (same password), computed before the
  // synchronous transaction.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const started = Date.now();

  db.transaction((tx) => {
    if (!isEmpty()) return; // seeded meanwhile
    const s = new Seeder(tx, generator(20260521), opts.secret, opts.now);
    s.insertOrgs(ORGS);

    tx.insert(accounts)
      .values(
        DEMO_ACCOUNTS.map((a) => {
          const org = ORGS.find((o) => o.name === a.org)!;
          return { username: a.username, displayName: a.displayName, passwordHash, orgId: s.orgId(org.key), role: a.role };
        }),
      )
      .run();
    s.counts.accounts = DEMO_ACCOUNTS.length;

    feixiCompetition(s);
    powerCompetition(s);
    weldingCompetition(s);
    electricianCompetition(s);
    seedStudios(s, passwordHash);
    seedCraftsmanSelections(s);
    // The county HR bureau pays training subsidies on certification: 1,500 yuan per intermediate, 2,000 per senior certificate.
    tx.insert(orgSettings).values({ orgId: s.orgId('feixiHr'), key: 'training_subsidy', value: FEIXI_SUBSIDY_RATES }).run();

    tx.insert(auditLog)
      .values({
        at: opts.now,
        actorKind: 'system',
        actorId: null,
        action: 'demo.seed',
        entityType: 'database',
        entityId: null,
        orgId: s.orgId('acftu'),
        orgPath: sql`(select path from organisations where id = ${s.orgId('acftu')})`,
        before: null,
        after: { ...s.counts, ms: Date.now() - started },
      })
      .run();
  });
}
