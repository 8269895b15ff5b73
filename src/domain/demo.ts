// A generated book for trying Loyal and for benchmarks: a specialty coffee roaster in
// Milan (beans by subscription and one-off orders, wholesale to cafés, its own café),
// with customers across Europe. Pure and seeded, so the same options give the same book.
//
// It builds plain objects in the schemas' key order instead of parsing each record with
// zod: the benchmarks ask for 50,000 customers and 500,000 incidents in a few seconds.
// Ids are random like real ones; the collections are sorted by id at the end, so the
// serialiser has nothing to reorder.
//
// Planted on purpose, so the trend review has something to find (see DEMO_PLANTED):
// - a spike: one staff member at one hour of the day has far more incidents than the
//   shifts explain;
// - a release effect: "website" incidents multiply for six weeks after one release.
import { civilFromDays, daysFromCivil } from './civilDays';
import {
  COLLECTION_NAMES,
  ID_PREFIX,
  emptyFile,
  type Category,
  type Cause,
  type Channel,
  type Contact,
  type Customer,
  type FollowUp,
  type HandwrittenNote,
  type Incident,
  type LoyalFile,
  type Purchase,
  type RecordKind,
  type Release,
  type Severity,
  type Subscription,
  type TeamMember,
} from './records';

export interface DemoOptions {
  customers: number;
  /** Default: half the number of customers. */
  incidents?: number;
  seed?: number | string;
  /** The day the book is "as of" (YYYY-MM-DD); default: the local calendar day. */
  today?: string;
  /** The owner of the business, first of the team and author of the book's own records. */
  user?: string;
}

const DEFAULT_OWNER = 'Giulia Rossi';
const SPIKE_STAFF = 'Tom Becker';
const SPIKE_HOUR = 17;
const EFFECT_RELEASE = { component: 'website', version: '4.0.0', daysBeforeToday: 100, weeks: 6 } as const;

/** What the generator plants in every book, for tests and for the walkthrough's wording. */
export const DEMO_PLANTED = {
  spike: { staff: SPIKE_STAFF, hour: SPIKE_HOUR },
  release: EFFECT_RELEASE,
} as const;

export const DEMO_COMPONENTS = ['roaster', 'website', 'delivery', 'billing', 'app', 'café'] as const;

// ---------------------------------------------------------------------------------------
// Random numbers

/** sfc32: small, fast, and good enough for a demo; seeded through a string hash. */
function makeRandom(seed: number | string): () => number {
  let h = 1779033703 ^ String(seed).length;
  const text = String(seed);
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  const next = (): number => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return (h ^= h >>> 16) >>> 0;
  };
  // State in a typed array: 32-bit values kept in closure variables would be boxed as
  // heap numbers on every call, and a big book calls this tens of millions of times.
  const state = new Int32Array([next(), next(), next(), next()]);
  const random = (): number => {
    const a = state[0];
    const b = state[1];
    const c = state[2];
    const d = (state[3] + 1) | 0;
    const t = (((a + b) | 0) + d) | 0;
    state[0] = b ^ (b >>> 9);
    state[1] = (c + (c << 3)) | 0;
    state[2] = (((c << 21) | (c >>> 11)) + t) | 0;
    state[3] = d;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) random();
  return random;
}

class Dice {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

/** Picks by weight in O(log n) from precomputed cumulative weights. */
class Weighted<T> {
  private readonly items: T[];
  private readonly cumulative: number[];
  private readonly total: number;
  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    this.items = entries.map((e) => e[0]);
    let sum = 0;
    this.cumulative = entries.map((e) => (sum += e[1]));
    this.total = sum;
  }
  pick(dice: Dice): T {
    const x = dice.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}

// ---------------------------------------------------------------------------------------
// Days and instants as plain numbers: day numbers since 1970-01-01 and "local minutes"
// (day number x 1440 + minute of the day) on the roaster's wall clock, Milan time.

/** Monday = 0 ... Sunday = 6. */
const weekdayOf = (dayNumber: number): number => (((dayNumber + 3) % 7) + 7) % 7;
const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

function lastSunday(year: number, month: number): number {
  const last = daysFromCivil(year, month + 1, 1) - 1;
  return last - ((weekdayOf(last) + 1) % 7);
}

const CLOCK = Array.from({ length: 1440 }, (_, m) => `${two(Math.floor(m / 60))}:${two(m % 60)}:00`);
const WINTER_CLOCK = CLOCK.map((time) => `${time}+01:00`);
const SUMMER_CLOCK = CLOCK.map((time) => `${time}+02:00`);

/** Day and instant texts, cached per day in arrays (day numbers of a demo span a few years). */
class Calendar {
  private readonly days: string[] = [];
  private readonly prefixes: string[] = [];
  constructor(private readonly base: number) {}
  day(dayNumber: number): string {
    const slot = dayNumber - this.base;
    let text = this.days[slot];
    if (text === undefined) {
      const [y, m, d] = civilFromDays(dayNumber);
      text = `${y}-${two(m)}-${two(d)}`;
      if (slot >= 0) this.days[slot] = text;
    }
    return text;
  }
  /** Central European time: summer time from the last Sunday of March to the last of October. */
  private summer(dayNumber: number): boolean {
    let known = this.summers[dayNumber - this.base];
    if (known === undefined) {
      const [y] = civilFromDays(dayNumber);
      known = dayNumber >= lastSunday(y, 3) && dayNumber < lastSunday(y, 10);
      if (dayNumber >= this.base) this.summers[dayNumber - this.base] = known;
    }
    return known;
  }
  instant(localMinutes: number): string {
    const dayNumber = Math.floor(localMinutes / 1440);
    const slot = dayNumber - this.base;
    let prefix = this.prefixes[slot];
    if (prefix === undefined) {
      prefix = `${this.day(dayNumber)}T`;
      if (slot >= 0) this.prefixes[slot] = prefix;
    }
    // Clock-and-offset texts are shared, so an instant costs one concatenation.
    return prefix + (this.summer(dayNumber) ? SUMMER_CLOCK : WINTER_CLOCK)[localMinutes - dayNumber * 1440];
  }
  private readonly summers: boolean[] = [];
}

function parseDay(day: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new RangeError(`today must be written YYYY-MM-DD, not ${day}`);
  return daysFromCivil(Number(match[1]), Number(match[2]), Number(match[3]));
}

function localToday(): string {
  const now = new Date();
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
}

// ---------------------------------------------------------------------------------------
// Words

interface Country {
  weight: number;
  first: string[];
  last: string[];
  phone: (d: Dice) => string;
  address: (d: Dice) => string;
  mail: string;
}

const num = (d: Dice, digits: number): string => {
  let out = '';
  for (let i = 0; i < digits; i++) out += String(d.int(0, 9));
  return out;
};

const COUNTRIES: Country[] = [
  {
    weight: 30,
    first: ['Giulia', 'Marco', 'Francesca', 'Luca', 'Chiara', 'Alessandro', 'Sofia', 'Matteo', 'Elena', 'Davide', 'Martina', 'Lorenzo'],
    last: ['Rossi', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo', 'Conti', 'Esposito', 'Fontana'],
    phone: (d) => `+39 3${num(d, 2)} ${num(d, 3)} ${num(d, 4)}`,
    address: (d) =>
      `${d.pick(['Via Roma', 'Corso Buenos Aires', 'Via Garibaldi', 'Via Dante', 'Viale Monza', 'Via Po', 'Via dei Mille'])} ${d.int(1, 180)}\n${d.pick(['20121 Milano MI', '10123 Torino TO', '40125 Bologna BO', '00184 Roma RM', '50122 Firenze FI', '16123 Genova GE'])}\nItalia`,
    mail: 'example.it',
  },
  {
    weight: 12,
    first: ['Camille', 'Louis', 'Léa', 'Hugo', 'Manon', 'Théo', 'Chloé', 'Julien', 'Inès', 'Mathieu'],
    last: ['Martin', 'Bernard', 'Dubois', 'Moreau', 'Lefèvre', 'Girard', 'Roux', 'Fournier', 'Mercier', 'Faure'],
    phone: (d) => `+33 6 ${num(d, 2)} ${num(d, 2)} ${num(d, 2)} ${num(d, 2)}`,
    address: (d) =>
      `${d.int(1, 120)} ${d.pick(['rue des Lilas', 'avenue Jean Jaurès', 'rue de la République', 'boulevard Voltaire', 'rue Oberkampf'])}\n${d.pick(['75011 Paris', '69002 Lyon', '13001 Marseille', '33000 Bordeaux', '44000 Nantes'])}\nFrance`,
    mail: 'example.fr',
  },
  {
    weight: 14,
    first: ['Lena', 'Jonas', 'Anna', 'Felix', 'Marie', 'Lukas', 'Sophie', 'Paul', 'Hannah', 'Maximilian'],
    last: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Wagner', 'Becker', 'Hoffmann', 'Schäfer', 'Koch'],
    phone: (d) => `+49 15${d.int(1, 9)} ${num(d, 7)}`,
    address: (d) =>
      `${d.pick(['Bergmannstraße', 'Schillerstraße', 'Goethestraße', 'Hauptstraße', 'Kastanienallee'])} ${d.int(1, 90)}\n${d.pick(['10961 Berlin', '80331 München', '20095 Hamburg', '50667 Köln', '04109 Leipzig'])}\nDeutschland`,
    mail: 'example.de',
  },
  {
    weight: 8,
    first: ['Lucía', 'Pablo', 'Martina', 'Javier', 'Carmen', 'Diego', 'Elena', 'Sergio', 'Paula', 'Álvaro'],
    last: ['García', 'Fernández', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Ruiz', 'Díaz', 'Moreno'],
    phone: (d) => `+34 6${num(d, 2)} ${num(d, 3)} ${num(d, 3)}`,
    address: (d) =>
      `${d.pick(['Calle Mayor', 'Calle de Alcalá', 'Carrer de Mallorca', 'Calle Sierpes', 'Gran Vía'])} ${d.int(1, 150)}\n${d.pick(['28013 Madrid', '08008 Barcelona', '41004 Sevilla', '46002 Valencia'])}\nEspaña`,
    mail: 'example.es',
  },
  {
    weight: 16,
    first: ['Emma', 'James', 'Olivia', 'Oliver', 'Amelia', 'Harry', 'Isla', 'George', 'Ava', 'Jack', 'Grace', 'Noah'],
    last: ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Evans', 'Thomas', 'Roberts', 'Walker', "O'Brien", 'Clarke'],
    phone: (d) => `+44 7700 900${num(d, 3)}`,
    address: (d) =>
      `${d.int(1, 220)} ${d.pick(['Market Street', 'High Street', 'Church Road', 'Victoria Road', 'Station Road'])}\n${d.pick(['Manchester M1 1AA', 'London E2 7DJ', 'Bristol BS1 4DJ', 'Leeds LS1 5AA', 'Edinburgh EH1 1YZ'])}\nUnited Kingdom`,
    mail: 'example.co.uk',
  },
  {
    weight: 8,
    first: ['Sanne', 'Daan', 'Fleur', 'Bram', 'Lotte', 'Sem', 'Eva', 'Jesse', 'Julia', 'Thijs'],
    last: ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder'],
    phone: (d) => `+31 6 ${num(d, 8)}`,
    address: (d) =>
      `${d.pick(['Prinsengracht', 'Oudegracht', 'Witte de Withstraat', 'Herengracht'])} ${d.int(1, 400)}\n${d.pick(['1015 DV Amsterdam', '3511 AA Utrecht', '3012 AB Rotterdam'])}\nNederland`,
    mail: 'example.nl',
  },
  {
    weight: 4,
    first: ['Yuki', 'Haruto', 'Aoi', 'Sota', 'Mei', 'Ren', 'Hina', 'Kaito', 'Sakura', 'Riku'],
    last: ['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato'],
    phone: (d) => `+81 90-${num(d, 4)}-${num(d, 4)}`,
    address: (d) =>
      `${d.int(1, 5)}-${d.int(1, 20)}-${d.int(1, 30)} ${d.pick(['Jingumae, Shibuya-ku', 'Nakameguro, Meguro-ku', 'Kichijoji, Musashino'])}\nTokyo ${d.int(150, 181)}-00${num(d, 2)}\nJapan`,
    mail: 'example.jp',
  },
  {
    weight: 8,
    first: ['Beatriz', 'João', 'Mariana', 'Tiago', 'Inês', 'Rui', 'Ana', 'Pedro', 'Catarina', 'Miguel'],
    last: ['Silva', 'Santos', 'Ferreira', 'Pereira', 'Oliveira', 'Costa', 'Rodrigues', 'Martins', 'Sousa', 'Fernandes'],
    phone: (d) => `+351 9${num(d, 2)} ${num(d, 3)} ${num(d, 3)}`,
    address: (d) => `${d.pick(['Rua Augusta', 'Rua de Santa Catarina', 'Avenida da Liberdade'])} ${d.int(1, 200)}\n${d.pick(['1100-053 Lisboa', '4000-447 Porto', '3000-150 Coimbra'])}\nPortugal`,
    mail: 'example.pt',
  },
];
const COUNTRY_PICK = new Weighted(COUNTRIES.map((c) => [c, c.weight] as const));

const WHOLESALE_COMPANIES = [
  'Caffè Aurora',
  'Bistro Lumière',
  'Bäckerei Sonnenschein',
  'Café Kranz',
  'La Tostadora',
  'The Daily Grind',
  'Koffiebar Noord',
  'Kissaten Hoshi',
  'Pastelaria Nata',
  'Trattoria da Gino',
  'Hotel Belvedere',
  'Osteria del Ponte',
  'Le Petit Comptoir',
  'Brew & Bloom',
  'Panificio Ferri',
  'Café Central',
  'Forno Antico',
  'Atelier Crème',
];
const OFFICE_COMPANIES = ['Studio Verde', 'Loft 21 Coworking', 'Nordlicht GmbH', 'Atelier Moreau', 'Pixel & Co.', 'Bottega Digitale', 'Kanzlei Weber', 'Clarke Architects'];

const ASCII: Record<string, string> = { à: 'a', á: 'a', â: 'a', ä: 'ae', ç: 'c', è: 'e', é: 'e', ê: 'e', í: 'i', ï: 'i', ñ: 'n', ó: 'o', ô: 'o', ö: 'oe', ß: 'ss', ú: 'u', ü: 'ue', ã: 'a', õ: 'o' };
const mailPart = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, (c) => ASCII[c] ?? '');

interface TagPlan {
  tag: string;
  category: Category;
  weight: number;
  summaries: string[];
  words?: string[];
}

interface ComponentPlan {
  component: string;
  weight: number;
  channels: Weighted<Channel>;
  tags: Weighted<TagPlan>;
  fair: string[];
  extra: Array<[string, string]>;
  resolution: string[];
  lessons: string[];
}

const tagsOf = (plans: TagPlan[]): Weighted<TagPlan> => new Weighted(plans.map((t) => [t, t.weight] as const));

const ANY_CHANNEL: Array<[Channel, number]> = [
  ['email', 35],
  ['phone', 20],
  ['in-person', 10],
  ['chat', 15],
  ['social', 12],
  ['other', 8],
];
const ONLINE_CHANNEL: Array<[Channel, number]> = [
  ['email', 40],
  ['chat', 30],
  ['social', 20],
  ['phone', 10],
];
const CAFE_CHANNEL: Array<[Channel, number]> = [
  ['in-person', 70],
  ['social', 15],
  ['email', 10],
  ['phone', 5],
];

const COMPONENT_PLANS: ComponentPlan[] = [
  {
    component: 'delivery',
    weight: 30,
    channels: new Weighted(ANY_CHANNEL),
    tags: tagsOf([
      {
        tag: 'late delivery',
        category: 'timeliness',
        weight: 55,
        summaries: ['Parcel arrived four days late', 'Subscription box not delivered on the usual day', 'Order still in transit after a week'],
        words: ['I planned my week around that delivery.', 'Third time the box is late.'],
      },
      { tag: 'damaged parcel', category: 'product', weight: 15, summaries: ['Bag split open in the parcel', 'Box crushed, beans spilled'], words: ['Coffee everywhere in the box!'] },
      { tag: 'lost parcel', category: 'process', weight: 10, summaries: ['Courier marked the parcel delivered, nothing arrived'] },
      { tag: 'wrong address', category: 'process', weight: 8, summaries: ['Shipped to the old address after an address change'] },
    ]),
    fair: ['Resend the order by express', 'Refund the shipping cost'],
    extra: [
      ['Free express shipping on the next order', '6.90'],
      ['250 g of the seasonal single origin', '12.50'],
    ],
    resolution: ['Resent by express courier; tracking shared.', 'Refunded shipping and opened a claim with the courier.'],
    lessons: ['Dispatch subscription boxes a day earlier in holiday weeks.', 'Ask for a photo before the courier claim window closes.'],
  },
  {
    component: 'roaster',
    weight: 25,
    channels: new Weighted(ANY_CHANNEL),
    tags: tagsOf([
      { tag: 'stale beans', category: 'product', weight: 35, summaries: ['Beans roasted over six weeks before delivery', 'Flat taste, no crema'], words: ['It tastes like cardboard.'] },
      { tag: 'wrong grind', category: 'product', weight: 30, summaries: ['Ground for espresso, asked for filter', 'Whole beans ordered, received ground'], words: ['My V60 clogged completely.'] },
      { tag: 'burnt roast', category: 'product', weight: 10, summaries: ['Batch roasted too dark, bitter'] },
      { tag: 'wrong beans', category: 'process', weight: 15, summaries: ['Received the house blend instead of the Ethiopia Guji'] },
    ]),
    fair: ['Replace the bag', 'A fresh bag from this week’s roast'],
    extra: [
      ['Upgraded to the 1 kg bag', '14.00'],
      ['Tasting set of three origins', '19.50'],
    ],
    resolution: ['Sent a fresh bag from this week’s roast.', 'Replaced with the right grind and added a note on the grind sizes.'],
    lessons: ['Print the roast date and grind in large type on the label.', 'Check the grind setting against the order before sealing.'],
  },
  {
    component: 'website',
    weight: 15,
    channels: new Weighted(ONLINE_CHANNEL),
    tags: tagsOf([
      { tag: 'website down', category: 'process', weight: 40, summaries: ['Shop unreachable during the evening', 'Error 502 on the product page'] },
      {
        tag: 'checkout error',
        category: 'process',
        weight: 35,
        summaries: ['Payment failed at checkout, card charged', 'Discount code rejected at checkout'],
        words: ['I tried three times and gave up.'],
      },
      { tag: 'slow website', category: 'timeliness', weight: 25, summaries: ['Pages take ages to load on mobile'] },
    ]),
    fair: ['Place the order by hand at the same price', 'Honour the discount'],
    extra: [
      ['10% off the next order', '3.50'],
      ['Free shipping for a month', '9.90'],
    ],
    resolution: ['Placed the order by hand and confirmed by email.', 'Payment provider incident; order placed manually.'],
    lessons: ['Monitor checkout errors after every deploy.', 'Keep the previous release ready to roll back.'],
  },
  {
    component: 'billing',
    weight: 12,
    channels: new Weighted([
      ['email', 60],
      ['phone', 25],
      ['chat', 15],
    ]),
    tags: tagsOf([
      {
        tag: 'double charge',
        category: 'process',
        weight: 50,
        summaries: ['Subscription charged twice this month', 'Card charged twice for one order'],
        words: ['I was charged twice and nobody answered.'],
      },
      { tag: 'wrong invoice', category: 'process', weight: 30, summaries: ['Invoice without the company VAT number'] },
      { tag: 'refund delay', category: 'timeliness', weight: 20, summaries: ['Refund promised two weeks ago not received'] },
    ]),
    fair: ['Refund the duplicate charge', 'Corrected invoice'],
    extra: [
      ['Waived next month’s subscription fee', '29.00'],
      ['A bag of the customer’s favourite', '16.00'],
    ],
    resolution: ['Refunded the duplicate charge the same day.', 'Issued a corrected invoice.'],
    lessons: ['Retry logic of the payment job must be idempotent.', 'Ask for VAT numbers at sign-up for wholesale.'],
  },
  {
    component: 'app',
    weight: 8,
    channels: new Weighted(ONLINE_CHANNEL),
    tags: tagsOf([
      { tag: 'app crash', category: 'product', weight: 55, summaries: ['App closes when opening the subscription page'] },
      { tag: 'login problem', category: 'process', weight: 45, summaries: ['Cannot log in after password reset'] },
    ]),
    fair: ['Change the subscription by hand'],
    extra: [['Free drink at the café', '4.00']],
    resolution: ['Changed the delivery day by hand; fix in the next app version.'],
    lessons: ['Test the subscription screen on older phones before release.'],
  },
  {
    component: 'café',
    weight: 10,
    channels: new Weighted(CAFE_CHANNEL),
    tags: tagsOf([
      {
        tag: 'rude reply',
        category: 'people',
        weight: 40,
        summaries: ['Barista answered curtly to a question about the beans', 'Dismissive reply on Instagram'],
        words: ['I felt stupid for asking.'],
      },
      { tag: 'long wait', category: 'timeliness', weight: 35, summaries: ['Waited 20 minutes for a flat white'] },
      { tag: 'ignored request', category: 'people', weight: 25, summaries: ['Asked for oat milk, got cow’s milk'] },
    ]),
    fair: ['An apology and a new drink'],
    extra: [
      ['Coffee and cake on the house', '7.50'],
      ['Invitation to the next cupping session', '15.00'],
    ],
    resolution: ['Apologised in person and offered a drink.', 'Talked it through with the team at the Monday meeting.'],
    lessons: ['Pair new baristas with a senior at peak hours.'],
  },
];
const COMPONENT_PICK = new Weighted(COMPONENT_PLANS.map((c) => [c, c.weight] as const));
const WEBSITE_PLAN = COMPONENT_PLANS.find((c) => c.component === EFFECT_RELEASE.component)!;

const SEVERITY = new Weighted<Severity>([
  ['minor', 70],
  ['major', 24],
  ['critical', 6],
]);
const CAUSE = new Weighted<Cause>([
  ['preventable', 45],
  ['unforeseeable', 25],
  ['unknown', 30],
]);
const SECOND_TAGS = ['repeat issue', 'subscription', 'gift order', 'wholesale'];

/** Hours 7 to 20 of the working day, weighted like a shop's traffic. */
const HOUR_PICK = new Weighted([7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20].map((h, i) => [h, [2, 5, 8, 9, 8, 6, 5, 6, 7, 7, 6, 5, 3, 2][i]] as const));
const WEEKDAY_WEIGHT = [1.1, 1, 1, 1, 1.2, 0.9, 0.4];

const CONTACT_SUMMARIES = [
  'Asked how the new Colombian lot tastes as espresso',
  'Called to change the delivery day',
  'Tasting at the café, liked the natural Ethiopian',
  'Wholesale price list for next season sent',
  'Checked in after the holiday break',
  'Feedback on the decaf: wants it darker',
  'Invited to the spring cupping',
  'Discussed a grinder for the office',
];
const CUSTOM_TITLES = [
  'Send a sample of the new Kenyan lot',
  'Call about the wholesale price list',
  'Ask for a review of the decaf',
  'Confirm the office order for next month',
  'Invite to the roastery tour',
];
const PURCHASE_NOTES = ['Gift wrap', 'Espresso grind', 'Filter grind', 'Office order', 'Christmas box', 'Café counter'];
const SOURCES = new Weighted<string>([
  ['website', 35],
  ['café', 25],
  ['referral', 15],
  ['instagram', 12],
  ['market stall', 8],
  ['wholesale fair', 5],
]);

// ---------------------------------------------------------------------------------------
// Customers' buying habits

type Habit = 'regular' | 'lapsed' | 'one-time' | 'occasional' | 'wholesale' | 'café-regular';
const HABIT_PICK = new Weighted<Habit>([
  ['regular', 27],
  ['lapsed', 18],
  ['one-time', 33],
  ['occasional', 14],
  ['wholesale', 4],
  ['café-regular', 4],
]);

const BEANS = [1290, 1450, 1590, 1690, 1890, 2150, 2490, 2890, 3400, 3800];
const CAFE = [350, 420, 480, 650, 890, 1250, 1800];

function cents(value: number): string {
  const abs = Math.abs(value);
  return `${value < 0 ? '-' : ''}${Math.floor(abs / 100)}.${two(abs % 100)}`;
}

// ---------------------------------------------------------------------------------------

interface Team {
  members: string[];
  /** How often each member is the one on duty: the spike must stand out of a fair share. */
  weights: number[];
  /** [first hour, last hour] of each member's usual shift, when they are on duty more often. */
  shifts: Array<[number, number]>;
}

function teamOf(owner: string, size: number): Team {
  const crew: Array<[string, number, [number, number]]> = [
    // Part-time: few incidents of their own, so the planted late-afternoon spike stands out.
    [SPIKE_STAFF, 10, [7, 12]],
    ['Amélie Laurent', 30, [12, 20]],
    ['Sam Carter', 25, [9, 17]],
    ['Keiko Tanaka', 20, [14, 20]],
  ];
  const team: Team = { members: [owner], weights: [30], shifts: [[8, 18]] };
  for (const [name, weight, shift] of crew) {
    if (team.members.length >= size) break;
    if (name === owner) continue;
    team.members.push(name);
    team.weights.push(weight);
    team.shifts.push(shift);
  }
  return team;
}

/** Who is on duty at each hour: anyone may be, those on their usual shift a little more often. */
function dutyRoster(team: Team): Array<Weighted<string>> {
  const roster: Array<Weighted<string>> = [];
  for (let hour = 0; hour < 24; hour++) {
    roster.push(new Weighted(team.members.map((name, m) => [name, hour >= team.shifts[m][0] && hour <= team.shifts[m][1] ? team.weights[m] * 1.3 : team.weights[m]] as const)));
  }
  return roster;
}

interface Ids {
  next(kind: RecordKind): string;
}

const ID_SPAN = 36 ** 7;

/**
 * Ids like the ones Loyal makes (14 random base-36 characters, see ids.ts), drawn from
 * the seed. They spread over the whole id space like real ones, so a record a teammate
 * adds later lands anywhere among them and two teammates' additions sit apart in the
 * file (with a counter in front, every new id sorted after all of them and both sides'
 * additions collided at the end of each list in a git merge).
 */
function idMaker(dice: Dice): Ids {
  return {
    next(kind) {
      // Two draws of 7 base-36 characters each (36^7 < 2^53, so every character is random).
      const a = Math.floor(dice.next() * ID_SPAN)
        .toString(36)
        .padStart(7, '0');
      const b = Math.floor(dice.next() * ID_SPAN)
        .toString(36)
        .padStart(7, '0');
      return `${ID_PREFIX[kind]}_${a}${b}`;
    },
  };
}

/**
 * The collections in id order, as the store keeps them. The team keeps its order (the
 * owner first): nothing refers to a team member's id, so its ids are handed out sorted.
 */
function inIdOrder(file: LoyalFile): LoyalFile {
  const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  for (const name of COLLECTION_NAMES) {
    if (name === 'team') {
      const ids = file.team.map((member) => member.id).sort();
      file.team.forEach((member, index) => (member.id = ids[index]));
    } else {
      (file[name] as Array<{ id: string }>).sort(byId);
    }
  }
  return file;
}

interface CustomerFacts {
  startDay: number;
  first: string;
  address?: string;
  lastContactDay: number;
  owner: string;
}

/** A book of a specialty coffee roaster with the given numbers of customers and incidents. */
export function generateDemoBook(options: DemoOptions): LoyalFile {
  const customerCount = Math.max(0, Math.floor(options.customers));
  const incidentCount = Math.max(0, Math.floor(options.incidents ?? Math.round(customerCount * 0.5)));
  const dice = new Dice(makeRandom(options.seed ?? 1));
  const ids = idMaker(new Dice(makeRandom(`${options.seed ?? 1}/ids`)));
  const todayNumber = parseDay(options.today ?? localToday());
  const cal = new Calendar(todayNumber - 1000);
  const owner = options.user?.trim() || DEFAULT_OWNER;
  const firstDay = todayNumber - 730;
  /** The morning review happens at 08:30: nothing in the book is later than that. */
  const now = todayNumber * 1440 + 8 * 60 + 30;
  const at = (minutes: number): string => cal.instant(minutes);
  const minuteOf = (day: number, hour: number): number => day * 1440 + hour * 60 + dice.int(0, 59);

  const file: LoyalFile = emptyFile();

  // Team
  const team = teamOf(owner, customerCount < 50 ? 3 : customerCount < 2000 ? 4 : 5);
  const openedBook = at(firstDay * 1440 + 9 * 60);
  for (const name of team.members) {
    const email = `${mailPart(name.split(' ')[0])}@aurora-roasters.example`;
    file.team.push({ id: ids.next('teamMember'), name, email, createdAt: openedBook, createdBy: owner, updatedAt: openedBook, updatedBy: owner } satisfies TeamMember);
  }

  // Releases, one of which (DEMO_PLANTED.release) is followed by a burst of website incidents.
  const releases: Array<[string, string, number, 'manual' | 'git']> = [
    ['website', '3.2.0', 400, 'git'],
    ['website', '3.3.0', 250, 'git'],
    [EFFECT_RELEASE.component, EFFECT_RELEASE.version, EFFECT_RELEASE.daysBeforeToday, 'git'],
    ['website', '4.0.1', EFFECT_RELEASE.daysBeforeToday - EFFECT_RELEASE.weeks * 7, 'git'],
    ['app', '1.4.0', 500, 'git'],
    ['app', '1.5.0', 200, 'git'],
    ['app', '2.0.0', 30, 'git'],
    ['roaster', 'firmware 2.1', 300, 'manual'],
    ['billing', 'payments v2', 180, 'manual'],
    ['delivery', 'new courier', 420, 'manual'],
  ];
  for (const [component, version, daysAgo, source] of releases) {
    const stamp = at((todayNumber - daysAgo) * 1440 + 18 * 60);
    file.releases.push({
      id: ids.next('release'),
      component,
      version,
      date: cal.day(todayNumber - daysAgo),
      source,
      createdAt: stamp,
      createdBy: owner,
      updatedAt: stamp,
      updatedBy: owner,
    } satisfies Release);
  }

  // Customers, in the order they joined, so "customers who existed on day d" is a prefix.
  const startDays = new Float64Array(customerCount);
  for (let i = 0; i < customerCount; i++) {
    const u = dice.next();
    // More customers joined recently than at the start: the business is growing.
    startDays[i] = firstDay + Math.floor(723 * Math.sqrt(u));
  }
  startDays.sort();
  const facts: CustomerFacts[] = [];
  const habits: Habit[] = [];
  const customerNames = new Map<string, number>();

  for (let i = 0; i < customerCount; i++) {
    const startDay = startDays[i];
    const country = COUNTRY_PICK.pick(dice);
    const first = dice.pick(country.first);
    const last = dice.pick(country.last);
    const name = `${first} ${last}`;
    const seen = customerNames.get(name) ?? 0;
    customerNames.set(name, seen + 1);
    const habit = HABIT_PICK.pick(dice);
    habits.push(habit);
    const tags: string[] = [];
    let company: string | undefined;
    if (habit === 'wholesale') {
      company = dice.pick(WHOLESALE_COMPANIES);
      tags.push('wholesale');
    } else if (dice.chance(0.08)) {
      company = dice.pick(OFFICE_COMPANIES);
      tags.push('office');
    }
    if (habit === 'café-regular') tags.push('café regular');
    if ((habit === 'regular' || habit === 'wholesale') && dice.chance(0.2)) tags.push('vip');
    if (dice.chance(0.25)) tags.push(dice.pick(['espresso', 'filter', 'decaf', 'gift buyer']));
    const source = habit === 'wholesale' ? 'wholesale fair' : habit === 'café-regular' ? 'café' : SOURCES.pick(dice);
    const id = ids.next('customer');
    const customerOwner = habit === 'wholesale' || tags.includes('vip') ? dice.pick(team.members) : undefined;
    const created = at(minuteOf(startDay, dice.int(8, 19)));
    const record: Record<string, unknown> = { id };
    if (i % 7 === 3) record.externalId = `SHOP-${10000 + i}`;
    record.name = name;
    if (company) record.company = company;
    const mailName = company && dice.chance(0.5) ? `orders@${mailPart(company)}.example` : `${mailPart(first)}.${mailPart(last)}${seen ? seen + 1 : ''}@${country.mail}`;
    if (dice.chance(0.93)) record.email = mailName;
    if (dice.chance(0.6)) record.phone = country.phone(dice);
    const address = habit !== 'café-regular' || dice.chance(0.3) ? country.address(dice) : undefined;
    if (address) record.address = company ? `${company}\n${address}` : address;
    record.tags = tags;
    if (customerOwner) record.owner = customerOwner;
    record.source = source;
    if (source === 'referral' && i > 0) record.referredBy = file.customers[dice.int(0, i - 1)].id;
    if (customerOwner) record.keepInTouchDays = habit === 'wholesale' ? 30 : dice.pick([60, 90]);
    if (habit === 'wholesale' || dice.chance(0.05)) record.onTimeHours = habit === 'wholesale' ? 24 : 48;
    if (dice.chance(0.06)) record.notes = dice.pick(['Prefers light roasts.', 'Allergic to nuts: no praline samples.', 'Likes a call rather than email.', 'Buys for the whole office on Fridays.']);
    record.archived = habit === 'one-time' && startDay < todayNumber - 600 && dice.chance(0.05);
    record.createdAt = created;
    record.createdBy = dice.pick(team.members);
    record.updatedAt = created;
    record.updatedBy = record.createdBy;
    file.customers.push(record as Customer);
    facts.push({ startDay, first, address: record.address as string | undefined, lastContactDay: startDay, owner: customerOwner ?? owner });
  }

  // Purchases, subscriptions and contacts, customer by customer.
  for (let i = 0; i < customerCount; i++) {
    const customer = file.customers[i];
    const fact = facts[i];
    const habit = habits[i];
    const start = fact.startDay;
    const lastDay = todayNumber - 1;
    const buy = (day: number, amountCents: number, note?: string): void => {
      const stamp = at(minuteOf(day, dice.int(8, 19)));
      const record: Record<string, unknown> = { id: ids.next('purchase'), customerId: customer.id, date: cal.day(day), amount: cents(amountCents), currency: 'EUR' };
      if (note) record.note = note;
      record.createdAt = stamp;
      record.createdBy = dice.pick(team.members);
      record.updatedAt = stamp;
      record.updatedBy = record.createdBy;
      file.purchases.push(record as Purchase);
    };
    const repeat = (from: number, to: number, gap: number, amount: () => number): void => {
      for (let day = from; day <= to; day += Math.max(1, Math.round(gap * (0.6 + dice.next() * 0.8)))) buy(day, amount(), dice.chance(0.05) ? dice.pick(PURCHASE_NOTES) : undefined);
    };
    const beans = (): number => dice.pick(BEANS) * dice.int(1, 2);
    switch (habit) {
      case 'regular':
        repeat(start, lastDay, dice.int(18, 50), beans);
        break;
      case 'lapsed': {
        const gap = dice.int(20, 45);
        const stop = Math.min(lastDay - gap * 4, start + dice.int(60, 400));
        if (stop <= start) buy(start, beans());
        else repeat(start, stop, gap, beans);
        break;
      }
      case 'one-time':
        buy(start, beans());
        break;
      case 'occasional': {
        const n = dice.int(2, 4);
        for (let k = 0, day = start; k < n && day <= lastDay; k++, day += dice.int(40, 160)) buy(day, beans());
        break;
      }
      case 'wholesale':
        repeat(start, lastDay, dice.int(14, 28), () => dice.int(150, 900) * 100 + dice.pick([0, 50, 90]));
        break;
      case 'café-regular':
        repeat(Math.max(start, todayNumber - 300), lastDay, dice.int(6, 14), () => dice.pick(CAFE));
        break;
    }

    if ((habit === 'regular' || habit === 'lapsed' || habit === 'occasional') && dice.chance(0.3)) {
      const yearly = dice.chance(0.2);
      const subStart = Math.min(lastDay, start + dice.int(0, 60));
      const cancelled = habit === 'lapsed' || dice.chance(0.25);
      const end = cancelled ? Math.min(lastDay, subStart + dice.int(60, 400)) : undefined;
      const stamp = at(minuteOf(subStart, dice.int(9, 18)));
      const record: Record<string, unknown> = {
        id: ids.next('subscription'),
        customerId: customer.id,
        amount: cents(yearly ? dice.pick([26000, 31000, 39000]) : dice.pick([2400, 2900, 3400, 4200])),
        currency: 'EUR',
        period: yearly ? 'year' : 'month',
        start: cal.day(subStart),
      };
      if (end !== undefined && end > subStart) record.end = cal.day(end);
      record.createdAt = stamp;
      record.createdBy = owner;
      record.updatedAt = end !== undefined && end > subStart ? at(minuteOf(end, 10)) : stamp;
      record.updatedBy = owner;
      file.subscriptions.push(record as Subscription);
    }

    const cadence = customer.keepInTouchDays;
    const contactCount = cadence ? Math.floor((lastDay - start) / cadence) + (dice.chance(0.5) ? 0 : -1) : dice.chance(0.2) ? dice.int(1, 2) : 0;
    for (let k = 0; k < contactCount; k++) {
      const day = cadence ? start + (k + 1) * cadence + dice.int(-5, 5) : dice.int(start, lastDay);
      if (day > lastDay || day < start) continue;
      const minute = minuteOf(day, dice.int(9, 18));
      const by = cadence ? fact.owner : dice.pick(team.members);
      const stamp = at(minute);
      file.contacts.push({
        id: ids.next('contact'),
        customerId: customer.id,
        at: stamp,
        channel: dice.pick(['phone', 'email', 'in-person'] as const),
        by,
        summary: dice.pick(CONTACT_SUMMARIES),
        createdAt: stamp,
        createdBy: by,
        updatedAt: stamp,
        updatedBy: by,
      } satisfies Contact);
      if (day > fact.lastContactDay) fact.lastContactDay = day;
    }
  }

  // Incidents, in the order they were opened.
  const roster = dutyRoster(team);
  const openMinutes = new Float64Array(incidentCount);
  for (let k = 0; k < incidentCount; k++) {
    let day: number;
    do {
      // A growing business logs more incidents lately.
      const u = dice.chance(0.4) ? Math.max(dice.next(), dice.next()) : dice.next();
      day = firstDay + Math.floor(u * 730);
    } while (dice.next() * 1.2 > WEEKDAY_WEIGHT[weekdayOf(day)]);
    openMinutes[k] = day;
  }
  openMinutes.sort();
  const effectStart = todayNumber - EFFECT_RELEASE.daysBeforeToday;
  const effectEnd = effectStart + EFFECT_RELEASE.weeks * 7;
  const incidentFacts: Array<{ resolvedMinute?: number; firstResolveMinute?: number; customer: number }> = [];
  let joined = 0;
  for (let k = 0; k < incidentCount && customerCount > 0; k++) {
    const day = openMinutes[k];
    while (joined < customerCount && startDays[joined] <= day) joined++;
    const customerIndex = joined === 0 ? 0 : dice.int(0, joined - 1);
    const spike = dice.chance(0.06);
    const hour = spike ? SPIKE_HOUR : HOUR_PICK.pick(dice);
    const staff = spike ? SPIKE_STAFF : roster[hour].pick(dice);
    const opened = Math.max(minuteOf(day, hour), facts[customerIndex].startDay * 1440 + 8 * 60);
    const plan = day >= effectStart && day < effectEnd && dice.chance(0.45) ? WEBSITE_PLAN : COMPONENT_PICK.pick(dice);
    const tagPlan = plan.tags.pick(dice);
    const severity = tagPlan.tag === 'double charge' || tagPlan.tag === 'lost parcel' ? (dice.chance(0.5) ? 'major' : SEVERITY.pick(dice)) : SEVERITY.pick(dice);
    const cause = tagPlan.category === 'people' ? (dice.chance(0.7) ? 'preventable' : 'unknown') : CAUSE.pick(dice);
    const tags = dice.chance(0.1) ? [tagPlan.tag, dice.pick(SECOND_TAGS)] : [tagPlan.tag];

    // Recovery times; a step that would fall after "now" has not happened yet. The three
    // latest incidents are held at the first steps, so every step shows in a small book.
    const stage = incidentCount - 1 - k;
    const stuck = stage > 2 && dice.chance(0.02);
    let firstResponse = opened + Math.round(10 + dice.next() * dice.next() * 1800);
    let understood = firstResponse + Math.round(dice.next() * 1440);
    let resolved = understood + Math.round(60 + dice.next() * dice.next() * 8640);
    if (stage <= 2) {
      const room = Math.max(2, now - opened);
      firstResponse = stage === 0 ? now + 60 : opened + Math.max(1, Math.floor(room / 4));
      understood = stage === 2 ? opened + Math.max(2, Math.floor(room / 2)) : now + 60;
      resolved = now + 120;
    }
    const reopened = !stuck && stage > 2 && dice.chance(0.04);
    let firstResolve: number | undefined;
    if (reopened) {
      firstResolve = resolved;
      resolved = resolved + (3 + dice.int(2, 5)) * 1440;
    }
    const resolvedBy = dice.chance(0.7) ? staff : owner;
    const record: Record<string, unknown> = {
      id: ids.next('incident'),
      customerId: file.customers[customerIndex].id,
      openedAt: at(opened),
      channel: plan.channels.pick(dice),
      category: tagPlan.category,
      component: plan.component,
      staff,
      severity,
      cause,
      summary: dice.pick(tagPlan.summaries),
    };
    if (tagPlan.words && dice.chance(0.3)) record.customerWords = dice.pick(tagPlan.words);
    record.tags = tags;
    // Recovery steps are tracked one by one only for the last few months (as if the team
    // had started using the incident form then); older incidents keep the two times the
    // outcomes need. Fewer strings keeps a 500,000-incident book in memory.
    const recent = opened > now - 120 * 1440;
    let updatedAt = record.openedAt as string;
    let updatedBy = staff;
    const responded = firstResponse < now && (recent || !stuck) ? at(firstResponse) : undefined;
    if (responded && recent) record.acknowledgedAt = responded;
    if (recent && understood < now && (!stuck || dice.chance(0.5))) {
      updatedAt = record.understoodAt = at(understood);
      if (dice.chance(0.6)) record.fairSolution = dice.pick(plan.fair);
    }
    const isResolved = resolved < now && !stuck;
    if (isResolved && (severity !== 'minor' || recent) && dice.chance(0.6)) {
      const [extra, cost] = dice.pick(plan.extra);
      record.extraMile = extra;
      record.extraMileCost = cost;
    }
    if (isResolved && recent) record.resolutionNote = dice.pick(plan.resolution);
    if (isResolved && severity !== 'minor' && dice.chance(0.5)) record.lessonsLearned = dice.pick(plan.lessons);
    if (responded) {
      record.firstResponseAt = responded;
      if (updatedAt === record.openedAt) updatedAt = responded;
    }
    if (isResolved) {
      updatedAt = record.resolvedAt = at(resolved);
      record.resolvedBy = resolvedBy;
      updatedBy = resolvedBy;
    }
    record.reopenCount = reopened && firstResolve !== undefined && firstResolve < now ? 1 : 0;
    record.createdAt = record.openedAt;
    record.createdBy = staff;
    record.updatedAt = updatedAt;
    record.updatedBy = updatedBy;
    file.incidents.push(record as Incident);
    incidentFacts.push({ resolvedMinute: isResolved ? resolved : undefined, firstResolveMinute: record.reopenCount ? firstResolve : undefined, customer: customerIndex });
  }

  // Follow-ups and handwritten notes the recovery rules would have created.
  const pushFollowUp = (f: {
    customer: number;
    incidentId?: string;
    kind: FollowUp['kind'];
    title?: string;
    due: number;
    assignee: string;
    createdMinute: number;
    status?: FollowUp['status'];
    outcome?: FollowUp['outcome'];
    doneMinute?: number;
    snoozedUntil?: number;
  }): void => {
    const record: Record<string, unknown> = { id: ids.next('followUp'), customerId: file.customers[f.customer].id };
    if (f.incidentId) record.incidentId = f.incidentId;
    record.kind = f.kind;
    if (f.title) record.title = f.title;
    record.due = cal.day(f.due);
    record.assignee = f.assignee;
    record.status = f.status ?? 'pending';
    if (f.snoozedUntil !== undefined) record.snoozedUntil = cal.day(f.snoozedUntil);
    if (f.outcome) record.outcome = f.outcome;
    const created = at(f.createdMinute);
    if (f.doneMinute !== undefined) {
      record.doneAt = at(f.doneMinute);
      record.doneBy = f.assignee;
    }
    record.createdAt = created;
    record.createdBy = f.assignee;
    record.updatedAt = f.doneMinute !== undefined ? record.doneAt : created;
    record.updatedBy = f.assignee;
    file.followUps.push(record as FollowUp);
  };
  const satisfactionCheck = (incident: Incident, customer: number, resolvedMinute: number, forceUnsatisfied: boolean): void => {
    const resolvedDay = Math.floor(resolvedMinute / 1440);
    const due = resolvedDay + 3;
    const assignee = incident.resolvedBy ?? owner;
    if (due >= todayNumber || (!forceUnsatisfied && due >= todayNumber - 10 && dice.chance(0.3))) {
      pushFollowUp({ customer, incidentId: incident.id, kind: 'satisfaction-check', due, assignee, createdMinute: resolvedMinute });
      return;
    }
    if (!forceUnsatisfied && dice.chance(0.05)) {
      pushFollowUp({
        customer,
        incidentId: incident.id,
        kind: 'satisfaction-check',
        due,
        assignee,
        createdMinute: resolvedMinute,
        status: 'skipped',
        doneMinute: Math.min(now - 60, minuteOf(due, 10)),
      });
      return;
    }
    const satisfied = !forceUnsatisfied && dice.chance(0.9);
    const outcome: FollowUp['outcome'] = satisfied ? { satisfied, rating: dice.int(4, 5) } : { satisfied, rating: dice.int(1, 2), comment: 'Still not happy with how it was handled.' };
    if (satisfied && dice.chance(0.2)) outcome.comment = dice.pick(['Thanks for the quick fix!', 'Lovely gesture, thank you.', 'All good now.']);
    pushFollowUp({
      customer,
      incidentId: incident.id,
      kind: 'satisfaction-check',
      due,
      assignee,
      createdMinute: resolvedMinute,
      status: 'done',
      outcome,
      doneMinute: Math.min(now - 60, minuteOf(due + dice.int(0, 2), dice.int(9, 17))),
    });
  };
  const noteFor = (customer: number, incidentId: string | undefined, due: number, createdMinute: number, status: HandwrittenNote['status'], text: string): void => {
    const fact = facts[customer];
    const writer = fact.owner;
    const record: Record<string, unknown> = { id: ids.next('note'), customerId: file.customers[customer].id };
    if (incidentId) record.incidentId = incidentId;
    record.due = cal.day(due);
    record.status = status;
    record.text = text;
    if (fact.address) record.address = fact.address;
    let updated = createdMinute;
    if (status !== 'to-write') {
      updated = Math.min(now - 120, minuteOf(due, 16));
      record.writtenAt = at(updated);
      record.writtenBy = writer;
    }
    if (status === 'sent') {
      updated = Math.min(now - 60, updated + 1440 + 60);
      record.sentAt = at(updated);
      record.sentBy = writer;
    }
    record.createdAt = at(createdMinute);
    record.createdBy = owner;
    record.updatedAt = at(updated);
    record.updatedBy = status === 'to-write' ? owner : writer;
    file.notes.push(record as HandwrittenNote);
  };
  const recentFrom = todayNumber - 180;
  for (let k = 0; k < file.incidents.length; k++) {
    const incident = file.incidents[k];
    const fact = incidentFacts[k];
    if (fact.resolvedMinute === undefined) continue;
    const resolvedDay = Math.floor(fact.resolvedMinute / 1440);
    if (resolvedDay < recentFrom) continue;
    if (fact.firstResolveMinute !== undefined) satisfactionCheck(incident, fact.customer, fact.firstResolveMinute, true);
    satisfactionCheck(incident, fact.customer, fact.resolvedMinute, false);
    if (incident.severity !== 'minor' && resolvedDay >= todayNumber - 90) {
      const due = resolvedDay + 2;
      const age = todayNumber - due;
      const status: HandwrittenNote['status'] = age < 2 ? 'to-write' : age < 10 ? (dice.chance(0.6) ? 'to-post' : 'sent') : dice.chance(0.05) ? 'to-write' : 'sent';
      const name = facts[fact.customer].first;
      const text = `Dear ${name}, I am truly sorry about what happened (${incident.summary.toLowerCase()}). Thank you for giving us the chance to put it right: we are glad to have you with us. ${owner.split(' ')[0]}`;
      noteFor(fact.customer, incident.id, due, fact.resolvedMinute, status, text);
    }
  }

  // Keep-in-touch follow-ups: due one cadence after the last contact.
  for (let i = 0; i < customerCount; i++) {
    const cadence = file.customers[i].keepInTouchDays;
    if (!cadence || file.customers[i].archived) continue;
    const fact = facts[i];
    const due = fact.lastContactDay + cadence;
    pushFollowUp({ customer: i, kind: 'keep-in-touch', due, assignee: fact.owner, createdMinute: Math.min(now - 60, minuteOf(fact.lastContactDay, 18)) });
  }
  // A few hand-made reminders, spread from last week to next month.
  const customCount = Math.max(customerCount ? 4 : 0, Math.round(customerCount * 0.02));
  for (let k = 0; k < customCount; k++) {
    const customer = dice.int(0, customerCount - 1);
    const due = todayNumber + [-4, 0, 3, 12][k % 4] + (k < 4 ? 0 : dice.int(-3, 3));
    const createdDay = Math.max(facts[customer].startDay, Math.min(todayNumber - 1, due - 14));
    const snoozed = k === 1 ? undefined : dice.chance(0.1) ? due + 2 : undefined;
    pushFollowUp({
      customer,
      kind: k % 5 === 4 ? 'handwritten-note' : 'custom',
      title: k % 5 === 4 ? 'Thank-you card for two years of subscription' : dice.pick(CUSTOM_TITLES),
      due,
      assignee: dice.pick(team.members),
      createdMinute: minuteOf(createdDay, 17),
      snoozedUntil: snoozed,
    });
  }
  // Every note status appears even in a tiny book, so each group of the notes view shows.
  if (customerCount > 0) {
    for (const status of ['to-write', 'to-post', 'sent'] as const) {
      if (file.notes.some((n) => n.status === status)) continue;
      const customer = 0;
      const due = todayNumber - (status === 'to-write' ? 0 : status === 'to-post' ? 3 : 9);
      noteFor(
        customer,
        undefined,
        due,
        Math.max(now - 20 * 1440, facts[customer].startDay * 1440 + 600),
        status,
        `Dear ${facts[customer].first}, thank you for being one of our first customers. See you at the café! ${owner.split(' ')[0]}`,
      );
    }
  }
  return inIdOrder(file);
}
