/**
 * The 66-task taxonomy in display order (SPEC: Task taxonomy and skills).
 * Ids are stable slugs so seeding is idempotent and ids are readable in APIs and logs.
 * Certifications: Gas Safe for work on the heating circuit of gas systems; Part P for notifiable
 * fixed electrical installation (new circuits, outdoor and bathroom circuits, testing).
 */
export type CertificationType = 'gas_safe' | 'part_p' | 'niceic' | 'other';

export const CERTIFICATION_NAMES: Record<CertificationType, string> = {
  gas_safe: 'Gas Safe',
  part_p: 'Part P',
  niceic: 'NICEIC',
  other: 'Other',
};

/** A certification also satisfies a requirement when it is listed here (NICEIC covers Part P work). */
export const CERTIFICATION_SATISFIES: Record<CertificationType, CertificationType[]> = {
  gas_safe: ['gas_safe'],
  part_p: ['part_p'],
  niceic: ['niceic', 'part_p'],
  other: ['other'],
};

type TaskSeed = [name: string, certification?: CertificationType];

export const TASK_CATEGORIES: Record<string, TaskSeed[]> = {
  Plumbing: [
    ['Fix leaking taps/faucets'],
    ['Replace toilet seat/flush mechanism'],
    ['Unblock sink/toilet'],
    ['Install dishwasher/washing machine'],
    ['Replace radiator valves'],
    ['Fix dripping shower'],
    ['Install new taps'],
    ['Install bathroom suite'],
    ['Relocate radiators', 'gas_safe'],
    ['Install outside tap'],
    ['Fix water pressure issues', 'gas_safe'],
    ['Replace toilet cistern'],
    ['Install bath/shower'],
    ['Emergency leak repair'],
  ],
  Electrical: [
    ['Replace light bulbs/fixtures'],
    ['Install dimmer switches'],
    ['Replace plug sockets/face plates'],
    ['Install ceiling fans'],
    ['Add new power sockets', 'part_p'],
    ['Install outdoor lighting', 'part_p'],
    ['Fault finding/testing', 'part_p'],
    ['Replace light switches'],
    ['Install smart home devices'],
    ['Install electric showers', 'part_p'],
  ],
  Carpentry: [
    ['Assemble flat-pack furniture'],
    ['Hang pictures/mirrors/shelves'],
    ['Install curtain rails/blinds'],
    ['Fix squeaky floor boards'],
    ['Install kitchen cabinets'],
    ['Build shelving units'],
    ['Repair/replace skirting boards'],
    ['Hang internal doors'],
    ['Install door handles/locks'],
    ['Build decking'],
    ['Install laminate/wood flooring'],
    ['Repair wooden furniture'],
    ['Install kitchen worktops'],
    ['Build wardrobes'],
    ['Staircase repairs'],
    ['Window frame repairs'],
    ['Install architraves/beading'],
  ],
  Decorating: [
    ['Paint single room (walls only)'],
    ['Paint ceilings'],
    ['Wallpaper removal'],
    ['Wallpaper hanging'],
    ['Fill and sand walls'],
    ['Paint woodwork/trim'],
    ['Exterior painting'],
    ['Stairwell painting'],
  ],
  General: [
    ['Mount TVs'],
    ['Patch drywall holes'],
    ['Install coat hooks/towel rails'],
    ['Replace door locks'],
    ['Draught proofing'],
    ['Tile grouting/repair'],
    ['Replace broken tiles'],
    ['Install grab rails'],
    ['Seal bathrooms/kitchens'],
    ['General odd jobs'],
  ],
  Garden: [
    ['Fence panel replacement'],
    ['Gate repairs/installation'],
    ['Deck cleaning/treatment'],
    ['Gutter cleaning'],
    ['Shed assembly'],
    ['Patio cleaning'],
    ['Basic landscaping'],
  ],
};

export function taskSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export type TaskRow = {
  id: string;
  name: string;
  category: string;
  displayOrder: number;
  requiredCertification: CertificationType | null;
};

export const TASKS: TaskRow[] = Object.entries(TASK_CATEGORIES)
  .flatMap(([category, seeds]) =>
    seeds.map(([name, cert]) => ({ id: taskSlug(name), name, category, displayOrder: 0, requiredCertification: cert ?? null })),
  )
  .map((t, i) => ({ ...t, displayOrder: i + 1 }));
