import { describe, expect, it } from 'vitest';
import {
  dumpYaml,
  fileUriToPath,
  formatMetricLine,
  formatPythonFloat,
  parseFlatYaml,
  parseMetricLine,
  parsePythonFloat,
  parseYaml,
  pathToFileUri,
  yamlInt,
  yamlString,
} from './format.ts';

/** `repr(float)` pairs produced by CPython 3. */
const PYTHON_REPR: [number, string][] = [
  [0.1, '0.1'],
  [1.0, '1.0'],
  [0.0001, '0.0001'],
  [1e-5, '1e-05'],
  [9.999e-5, '9.999e-05'],
  [0.0001234, '0.0001234'],
  [1e15, '1000000000000000.0'],
  [1e16, '1e+16'],
  [1.5e16, '1.5e+16'],
  [123456789012345.6, '123456789012345.6'],
  [1234567890123456.8, '1234567890123456.8'],
  [1 / 3, '0.3333333333333333'],
  [1e100, '1e+100'],
  [1e-100, '1e-100'],
  [5e-324, '5e-324'],
  [1.7976931348623157e308, '1.7976931348623157e+308'],
  [-0, '-0.0'],
  [100, '100.0'],
  [0.1 + 0.2, '0.30000000000000004'],
  [1e21, '1e+21'],
  [-2.5e-7, '-2.5e-07'],
  [2 ** 53, '9007199254740992.0'],
  [Number.NaN, 'nan'],
  [Number.POSITIVE_INFINITY, 'inf'],
  [Number.NEGATIVE_INFINITY, '-inf'],
];

/** `yaml.safe_dump(data, default_flow_style=False, allow_unicode=True, sort_keys=True)` from PyYAML 6. */
const PYYAML_DUMP = `a: y
ah: 'On'
aj: 'null'
al:
  champion: '2'
an: '='
ao: '<<'
b: n
c: 'yes'
d: '2024-01-01'
e: 1e5
f: 0o17
g: ''
h: null
i: None
j: '~'
k: '#x'
l: 'a: b'
list: []
map: {}
n2: '1_000'
o: '0x1F'
p: '.inf'
q: NaN
s: it's
st: 3
ts: 1718000000000
u: 'line1

  line2'
v: ü
w: ' lead'
`;

const PYYAML_DATA = {
  a: 'y',
  b: 'n',
  c: 'yes',
  d: '2024-01-01',
  e: '1e5',
  f: '0o17',
  g: '',
  h: null,
  i: 'None',
  j: '~',
  k: '#x',
  l: 'a: b',
  n2: '1_000',
  o: '0x1F',
  p: '.inf',
  q: 'NaN',
  s: "it's",
  u: 'line1\nline2',
  v: 'ü',
  w: ' lead',
  ah: 'On',
  aj: 'null',
  an: '=',
  ao: '<<',
  ts: 1718000000000,
  st: 3,
  list: [],
  map: {},
  al: { champion: '2' },
};

describe('Python float formatting', () => {
  it.each(PYTHON_REPR)('formats %d as repr() does: %s', (value, repr) => {
    expect(formatPythonFloat(value)).toBe(repr);
  });

  it.each(PYTHON_REPR)('parses repr() of %d back exactly', (value, repr) => {
    expect(
      Object.is(parsePythonFloat(repr), value) ||
        (Number.isNaN(value) && Number.isNaN(parsePythonFloat(repr) ?? 0)),
    ).toBe(true);
  });

  it('accepts the other spellings float() takes and refuses garbage', () => {
    expect(parsePythonFloat('Infinity')).toBe(Number.POSITIVE_INFINITY);
    expect(parsePythonFloat('-infinity')).toBe(Number.NEGATIVE_INFINITY);
    expect(parsePythonFloat('1_000.5')).toBe(1000.5);
    expect(parsePythonFloat('.5')).toBe(0.5);
    expect(parsePythonFloat('3')).toBe(3);
    expect(parsePythonFloat('abc')).toBeUndefined();
    expect(parsePythonFloat('')).toBeUndefined();
  });
});

describe('metric lines', () => {
  it('writes "timestamp value step" and reads 2- and 3-field lines', () => {
    expect(formatMetricLine(1718000000000, 0.5, 3)).toBe('1718000000000 0.5 3\n');
    expect(formatMetricLine(1, 2, 0)).toBe('1 2.0 0\n');
    expect(parseMetricLine('1718000000000 0.5 3')).toEqual({ timestamp: 1718000000000, value: 0.5, step: 3 });
    expect(parseMetricLine('1718000000000 1e-05')).toEqual({
      timestamp: 1718000000000,
      value: 1e-5,
      step: 0,
    });
    expect(parseMetricLine('12 nan 1')?.value).toBeNaN();
    expect(parseMetricLine('12')).toBeUndefined();
    expect(parseMetricLine('12 x 1')).toBeUndefined();
    expect(parseMetricLine('a 1 1')).toBeUndefined();
    expect(parseMetricLine('1 2 3 4')).toBeUndefined();
  });
});

describe('meta.yaml', () => {
  it("writes exactly what PyYAML's safe_dump writes", () => {
    expect(dumpYaml(PYYAML_DATA)).toBe(PYYAML_DUMP);
  });

  it('reads what PyYAML wrote back to the same values', () => {
    const parsed = parseYaml(PYYAML_DUMP) as Record<string, unknown>;
    for (const [key, value] of Object.entries(PYYAML_DATA)) {
      const read = parsed[key];
      expect(typeof read === 'bigint' ? Number(read) : read, key).toEqual(value);
    }
  });

  it('keeps 18-digit integer ids exact and reads legacy integer ids as strings', () => {
    const parsed = parseYaml('experiment_id: 412278563452136786\nstatus: 3\nname: 7\n') as Record<
      string,
      unknown
    >;
    expect(yamlString(parsed.experiment_id)).toBe('412278563452136786');
    expect(yamlInt(parsed.status)).toBe(3);
    expect(yamlString(parsed.name)).toBe('7');
    expect(yamlInt(undefined)).toBeUndefined();
    expect(yamlString(null)).toBeUndefined();
  });
});

describe('file URIs', () => {
  it('converts between absolute paths and file:// URIs like MLflow', () => {
    expect(pathToFileUri('/tmp/a b/mlruns')).toBe('file:///tmp/a%20b/mlruns');
    expect(fileUriToPath('file:///tmp/a%20b/mlruns')).toBe('/tmp/a b/mlruns');
    expect(fileUriToPath('/abs/path')).toBe('/abs/path');
  });
});

describe('the flat meta.yaml fast path', () => {
  const flat = [
    "artifact_uri: file:///tmp/mlruns/1/0fdd04c6/artifacts\nend_time: null\nentry_point_name: ''\nexperiment_id: '412278563452136786'\nlifecycle_stage: active\nrun_id: 0fdd04c608504761888207ec0cd3752a\nrun_name: tidy-slug-204\nsource_type: 4\nstart_time: 1795753150253\nstatus: 3\ntags: []\nuser_id: root\n",
    "a: y\nb: 'On'\nc: it's\nd: 'it''s'\ne: None\nf: ~\ng: true\nh: off\ni: -12\nj: {}\nk: ü\n",
  ];
  const complex = [
    "aliases:\n  champion: '2'\nname: m\n",
    "u: 'line1\n\n  line2'\n",
    'd: 2024-01-01\n',
    'e: 1e5\n',
    'f: 0o17\n',
    'n: 1_000\n',
    'x: 0x1F\n',
    'p: .inf\n',
    'q: 1.5\n',
    's: 1:30\n',
    'k: "double"\n',
    'k: a # comment\n',
    'k: - item\n',
    'k: &anchor v\n',
    'k:  spaced\n',
    'k: v\nk: w\n',
  ];

  it.each(flat)('reads flat files exactly like the full parser (%#)', (text) => {
    expect(parseFlatYaml(text)).toEqual(parseYaml(text));
  });

  it.each(complex)('leaves anything else to the full parser: %j', (text) => {
    expect(parseFlatYaml(text)).toBeUndefined();
  });
});

describe('the fast path with run ids that start like numbers', () => {
  it.each(['1e4f0c2a9b8d4e7f8a1b2c3d4e5f6a7b', '12e5aa', '0fdd04', '2024x', '1_a'])(
    'reads %s as a string',
    (id) => {
      const text = `run_id: ${id}\n`;
      expect(parseFlatYaml(text)).toEqual({ run_id: id });
      expect(parseYaml(text)).toEqual({ run_id: id });
    },
  );
});
