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
import { eq } from 'drizzle-orm';
import { criteriaOf, schemeSchema, type Scheme, type SchemeInput } from '../server/contracts/scheme.ts';
import { residentIdCheckChar } from '../server/domain/resident-id.ts';
import { hashPassword, tokenHash } from '../server/security.ts';
import type { Db } from './client.ts';
import { publicityEnd } from '../server/domain/working-days.ts';
import {
  accounts,
  auditLog,
  competitions,
  entries,
  events,
  judges,
  marks,
  organisations,
  people,
  roundEntries,
  rounds,
} from './schema.ts';

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
  { username: 'power-organiser', role: 'organiser', org: '安徽省总工会', displayName: '省总工会配电竞赛组委会' },
] as const satisfies readonly { username: string; role: Role; org: string; displayName: string }[];

/** Judge sign-in codes by event name: the chief judge's and the panel's (in panel order). */
export const DEMO_JUDGE_CODES = {
  无人机驾驶: {
    competition: '2026年肥西县职工职业技能大赛',
    chief: 'WRJCP001',
    judges: ['WRJ00001', 'WRJ00002', 'WRJ00003', 'WRJ00004', 'WRJ00005'],
  },
  消防救援: {
    competition: '2026年肥西县职工职业技能大赛',
    chief: 'XFJYCP01',
    judges: ['XFJY0001', 'XFJY0002', 'XFJY0003', 'XFJY0004', 'XFJY0005'],
  },
  配电线路工: {
    competition: '2026年皖北地区配电线路工技能竞赛',
    chief: 'PDXLCP01',
    judges: ['PDXL0001', 'PDXL0002', 'PDXL0003', 'PDXL0004', 'PDXL0005'],
  },
  焊工: {
    competition: '2025年肥西县焊工技能竞赛',
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
  { key: 'anhuiHr', name: '安徽省人力资源和社会保障厅', kind: 'hr_bureau', level: 'province', region: '340000', parent: 'anhui' },
  { key: 'sgccAnhui', name: '国网安徽省电力有限公司', kind: 'employer', level: 'enterprise', region: '340000', parent: 'anhui' },
  // Hefei and Feixi
  { key: 'hefei', name: '合肥市总工会', kind: 'union', level: 'city', region: '340100', parent: 'anhui' },
  { key: 'hefeiHr', name: '合肥市人力资源和社会保障局', kind: 'hr_bureau', level: 'city', region: '340100', parent: 'hefei' },
  { key: 'hefeiFire', name: '合肥市消防救援支队', kind: 'employer', level: 'enterprise', region: '340100', parent: 'hefei' },
  { key: 'feixi', name: '肥西县总工会', kind: 'union', level: 'county', region: '340123', parent: 'hefei' },
  { key: 'feixiHr', name: '肥西县人力资源和社会保障局', kind: 'hr_bureau', level: 'county', region: '340123', parent: 'feixi' },
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

// ---------------------------------------------------------------------------------------------

/** A time on a Beijing-time calendar day. */
const at = (day: string, hh: number, mm: number, ss = 0) =>
  new Date(`${day}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}+08:00`);
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
  readonly counts = { organisations: 0, accounts: 0, people: 0, competitions: 0, events: 0, entries: 0, judges: 0, marks: 0 };

  constructor(
    readonly tx: Tx,
    readonly rng: Rng,
    readonly secret: string,
    readonly now: Date,
  ) {}

  orgId(key: string): number {
    const o = this.org.get(key);
    if (!o) throw new Error(`demo seed: unknown organisation ${key}`);
    return o.id;
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

  judge(eventId: number, name: string, role: 'chief' | 'judge', code: string, employerKey: string | null): Judge {
    const employerId = employerKey ? this.orgId(employerKey) : null;
    const row = this.tx
      .insert(judges)
      .values({
        eventId,
        name,
        employerId,
        role,
        codeHash: tokenHash(this.secret, code),
        codeIssuedAt: this.now,
        codeExpiresAt: CODE_EXPIRES_AT,
      })
      .returning({ id: judges.id })
      .get();
    this.counts.judges++;
    return { id: row.id, code, employerId, bias: this.rng.between(-0.03, 0.03) };
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
   * The organisation keeping the person records: Feixi workers are kept by the county HR bureau
   * (it certifies their levels; the county union above it sees them too), northern-Anhui power
   * workers by their city union.
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
      releasedAt: plan.releasedAt ?? null,
      // A released demo event has been through its publicity period and is final.
      publicityEndsAt: plan.releasedAt ? publicityEnd(plan.releasedAt, 5) : null,
      finalAt: plan.releasedAt ? publicityEnd(plan.releasedAt, 5) : null,
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

  const chief = s.judge(event.id, plan.chief.name, 'chief', plan.codes.chief, plan.chief.employerKey);
  const panelJudges = plan.codes.judges.map((code, i) =>
    s.judge(event.id, s.name(rng.next() < 0.8 ? 'male' : 'female'), 'judge', code, plan.panelEmployers[i] ?? null),
  );
  return { eventId: event.id, roundId: round.id, scheme, chief, panel: panelJudges, entrants };
}

function setAbsent(s: Seeder, e: BuiltEvent, number: number): void {
  const entrant = e.entrants[number - 1]!;
  entrant.status = 'absent';
  s.tx.update(entries).set({ status: 'absent' }).where(eq(entries.id, entrant.entryId)).run();
}

function addToRound(s: Seeder, e: BuiltEvent, completion?: (entrant: Entrant) => number | null): void {
  s.tx
    .insert(roundEntries)
    .values(e.entrants.map((x) => ({ roundId: e.roundId, entryId: x.entryId, completionSeconds: completion?.(x) ?? null })))
    .run();
}

/** Theory results for every present entrant, entered by the chief judge after the exam. */
function markTheory(s: Seeder, e: BuiltEvent, start: Date): void {
  const part = e.scheme.parts.find((p) => p.id === 'theory')!;
  e.entrants
    .filter((x) => x.status === 'checked_in')
    .forEach((x, i) => s.markPart({ eventId: e.eventId, roundId: e.roundId }, x, e.chief, part, addMinutes(start, i)));
}

/** A practical part for the given entrants (by drawn number), from the given panel judges. */
function markPractical(s: Seeder, e: BuiltEvent, partId: string, numbers: number[], judgeCount: number, start: Date, minutesEach: number): void {
  const part = e.scheme.parts.find((p) => p.id === partId)!;
  numbers.forEach((n, i) => {
    const entrant = e.entrants[n - 1]!;
    if (entrant.status !== 'checked_in') return;
    e.panel.slice(0, judgeCount).forEach((j, k) => {
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
      name: '2026年肥西县职工职业技能大赛',
      grade: 'B',
      year: 2026,
      organisers: ['肥西县总工会', '肥西县人力资源和社会保障局'],
      hosts: ['肥西县应急管理局', '桃花工业园管委会'],
      venue: '肥西县职业技术学校',
      startDate: '2026-11-21',
      endDate: '2026-11-25',
      status: 'running',
    })
    .returning({ id: competitions.id })
    .get();
  s.counts.competitions++;
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
        { employerKey: 'xiangyu', orgKey: 'feixiHr', areas: feixiAreas, count: 4 },
        { employerKey: 'shangpaiAgri', orgKey: 'feixiHr', areas: feixiAreas, count: 3 },
        { employerKey: 'sanheAgri', orgKey: 'feixiHr', areas: feixiAreas, count: 3 },
        { employerKey: 'feixiEmergency', orgKey: 'feixiHr', areas: feixiAreas, count: 1 },
        { employerKey: 'feixiPower', orgKey: 'feixiHr', areas: feixiAreas, count: 1 },
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
  addToRound(s, drone, (x) => (x.number <= 8 && x.status === 'checked_in' ? s.rng.int(600, 900) : null));
  markTheory(s, drone, at('2026-11-21', 10, 40));
  const droneDone = range(1, 7); // number 5 is absent: six entrants fully marked
  markPractical(s, drone, 'flight', droneDone, 5, at('2026-11-21', 13, 0), 15);
  markPractical(s, drone, 'mission', droneDone, 5, at('2026-11-21', 13, 5), 15);
  markPractical(s, drone, 'flight', [8], 3, at('2026-11-21', 14, 50), 15); // three judges in so far
  markPractical(s, drone, 'flight', [9], 2, at('2026-11-21', 15, 5), 15); // two: below minMarks
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
        { employerKey: 'taohuaFire', orgKey: 'feixiHr', areas: feixiAreas, count: 3 },
        { employerKey: 'sanheFire', orgKey: 'feixiHr', areas: feixiAreas, count: 3 },
        { employerKey: 'zipengFire', orgKey: 'feixiHr', areas: feixiAreas, count: 3 },
        { employerKey: 'huachuan', orgKey: 'feixiHr', areas: feixiAreas, count: 2 },
        { employerKey: 'shangpaiFire', orgKey: 'feixiHr', areas: feixiAreas, count: 1 },
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
  addToRound(s, fire, (x) => (x.number <= 7 && x.status === 'checked_in' ? s.rng.int(420, 720) : null));
  markTheory(s, fire, at('2026-11-22', 10, 30));
  const fireDone = range(1, 5);
  markPractical(s, fire, 'gear', fireDone, 5, at('2026-11-22', 13, 30), 10);
  markPractical(s, fire, 'rescue', fireDone, 5, at('2026-11-22', 14, 30), 12);
  markPractical(s, fire, 'gear', [6], 3, at('2026-11-22', 14, 20), 10);
  markPractical(s, fire, 'gear', [7], 2, at('2026-11-22', 14, 30), 10);
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
      name: '2026年皖北地区配电线路工技能竞赛',
      grade: 'A',
      competitionClass: 'class1',
      year: 2026,
      organisers: ['安徽省总工会', '安徽省人力资源和社会保障厅'],
      hosts: ['国网安徽省电力有限公司'],
      venue: '国网安徽省电力有限公司技能培训中心（宿州实训基地）',
      startDate: '2026-11-22',
      endDate: '2026-11-24',
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

  markTheory(s, power, at('2026-11-22', 16, 0));
  markPractical(s, power, 'guywire', range(1, 30), 5, at('2026-11-23', 8, 30), 12);
  markPractical(s, power, 'insulator', range(1, 18), 5, at('2026-11-23', 14, 0), 12);
  const four = power.entrants[3]!.entryId;
  const eleven = power.entrants[10]!;
  for (const m of s.markRows.filter((r) => r.entryId === eleven.entryId)) {
    const twin = s.markRows.find((r) => r.entryId === four && r.judgeId === m.judgeId && r.criterionId === m.criterionId)!;
    m.value = twin.value;
  }
  s.flushMarks();
}

function weldingCompetition(s: Seeder): void {
  const comp = s.tx
    .insert(competitions)
    .values({
      orgId: s.orgId('feixi'),
      name: '2025年肥西县焊工技能竞赛',
      grade: 'B',
      year: 2025,
      organisers: ['肥西县总工会', '肥西县人力资源和社会保障局'],
      hosts: ['桃花工业园管委会'],
      venue: '肥西县职业技术学校焊接实训中心',
      startDate: '2025-10-18',
      endDate: '2025-10-18',
      status: 'results_published',
    })
    .returning({ id: competitions.id })
    .get();
  s.counts.competitions++;
  const feixiAreas = HOME_AREAS.feixi!;
  const weld = buildEvent(s, {
    competitionId: comp.id,
    name: '焊工',
    occupation: OCC.welder,
    targetLevel: 3,
    minEntrants: 8,
    scheme: WELDING_SCHEME,
    entrants: [
      { employerKey: 'huachuan', orgKey: 'feixiHr', areas: feixiAreas, count: 3 },
      { employerKey: 'shangpaiBuild', orgKey: 'feixiHr', areas: feixiAreas, count: 3 },
      { employerKey: 'dingli', orgKey: 'feixiHr', areas: feixiAreas, count: 2 },
    ],
    maleShare: 0.9,
    born: { from: 1972, to: 1996 },
    levels: [4, 4, 3, 3, 2, 5],
    codes: DEMO_JUDGE_CODES.焊工,
    chief: { name: '鲁振邦', employerKey: 'feixiSchool' },
    panelEmployers: ['feixiSchool', 'feixiSchool', null],
    round: { status: 'closed', closedAt: at('2025-10-18', 17, 30) },
    releasedAt: at('2025-10-20', 10, 0),
  });
  addToRound(s, weld, () => s.rng.int(2100, 2700));
  markTheory(s, weld, at('2025-10-18', 11, 0));
  markPractical(s, weld, 'plate', range(1, 8), 3, at('2025-10-18', 13, 30), 15);
  s.flushMarks();
}

// ---------------------------------------------------------------------------------------------

/**
 * Loads the demo data set into an empty database (one with no organisations); otherwise does
 * nothing. `secret` is the session secret: judge codes are stored as tokenHash(secret, code).
 */
export async function seedDemoData(db: Db, opts: { secret: string }): Promise<void> {
  const isEmpty = () => db.select({ id: organisations.id }).from(organisations).limit(1).get() === undefined;
  if (!isEmpty()) return;
  // One scrypt hash shared by every demo account (same password), computed before the
  // synchronous transaction.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const started = Date.now();

  db.transaction((tx) => {
    if (!isEmpty()) return; // seeded meanwhile
    const s = new Seeder(tx, generator(20260521), opts.secret, new Date());
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

    tx.insert(auditLog)
      .values({
        at: new Date(),
        actorKind: 'system',
        actorId: null,
        action: 'demo.seed',
        entityType: 'database',
        entityId: null,
        orgId: s.orgId('acftu'),
        before: null,
        after: { ...s.counts, ms: Date.now() - started },
      })
      .run();
  });
}
