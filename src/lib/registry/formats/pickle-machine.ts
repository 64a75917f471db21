/**
 * A pickle disassembler that runs the opcodes on a symbolic stack. It never imports or calls
 * anything: a global is a name, a call is a record of callable and arguments. That is enough
 * to list every import and call, to find tensors and estimators, and to step over the raw
 * arrays joblib writes between opcodes.
 */
import { ImplausibleHeaderError, LimitExceededError, MalformedFileError } from './errors';
import type { ReadBudget } from './limits';
import { checkedProduct, describeCount, formatBytes } from './numbers';
import { parseIntLine, readPickleArg, unescapeRawUnicode, type PickleArg } from './pickle-args';
import { OPCODES } from './pickle-opcodes';
import type { PickleRecord } from './pickle-record';
import {
  NONE,
  addEntries,
  addItems,
  asInt,
  asString,
  callableName,
  classOf,
  dtypeItemSize,
  getKey,
  itemsOf,
  pairs,
  type PyObject,
  type PyValue,
} from './pickle-values';
import type { WindowReader } from './source';

const MAX_MEMO = 10_000_000;

type Arg = PickleArg;

export class PickleMachine {
  private stack: PyValue[] = [];
  private marks: number[] = [];
  private memo = new Map<number, PyValue>();

  constructor(
    private readonly reader: WindowReader,
    private readonly record: PickleRecord,
    private readonly budget: ReadBudget,
  ) {}

  /** Run one pickle stream to its STOP and return the value it would load. */
  async runStream(depth = 0): Promise<PyValue> {
    this.budget.checkDepth(depth + 1, 'A pickle embedded in a pickle');
    for (;;) {
      this.record.opcodeCount += 1;
      if (this.record.opcodeCount > this.budget.limits.maxPickleOps) {
        throw new LimitExceededError(
          `${this.budget.limits.maxPickleOps.toLocaleString('en-US')} opcodes`,
          'the pickle holds more opcodes than the limit',
        );
      }
      this.budget.checkpoint();
      const offset = this.reader.pos;
      await this.reader.need(1, 'a pickle opcode');
      const byte = this.reader.u8();
      const op = OPCODES[byte];
      if (!op) {
        throw new MalformedFileError(
          'pickle',
          `byte 0x${byte.toString(16).padStart(2, '0')} at offset ${offset} is not an opcode`,
        );
      }
      const arg = await readPickleArg(this.reader, op.arg, op.name);
      if (op.name === 'STOP') return this.pop(offset);
      await this.apply(op.name, arg, offset, depth);
    }
  }

  private push(value: PyValue): void {
    this.stack.push(value);
  }

  private floor(): number {
    return this.marks.length > 0 ? this.marks[this.marks.length - 1] : 0;
  }

  private pop(offset: number): PyValue {
    if (this.stack.length <= this.floor()) {
      throw new MalformedFileError('pickle', `the stack underflows at offset ${offset}`);
    }
    return this.stack.pop() as PyValue;
  }

  private top(offset: number): PyValue {
    if (this.stack.length <= this.floor()) {
      throw new MalformedFileError('pickle', `the stack is empty at offset ${offset}`);
    }
    return this.stack[this.stack.length - 1];
  }

  private popMark(offset: number): PyValue[] {
    const mark = this.marks.pop();
    if (mark === undefined) {
      throw new MalformedFileError('pickle', `an opcode at offset ${offset} needs a MARK`);
    }
    return this.stack.splice(mark);
  }

  private call(callable: PyValue, args: PyValue[], opcode: string, offset: number): PyObject {
    this.record.addCall(callableName(callable), opcode, offset);
    return { k: 'object', callable, args, state: null, items: [], entries: [] };
  }

  private global(name: string, offset: number): PyValue {
    this.record.addImport(name, offset);
    return { k: 'global', name };
  }

  private async apply(name: string, arg: Arg, offset: number, depth: number): Promise<void> {
    switch (name) {
      case 'MARK':
        this.marks.push(this.stack.length);
        this.budget.checkDepth(this.marks.length, 'A pickle container');
        return;
      case 'POP':
        if (this.stack.length > this.floor()) this.stack.pop();
        else this.popMark(offset);
        return;
      case 'POP_MARK':
        this.popMark(offset);
        return;
      case 'DUP':
        return this.push(this.top(offset));
      case 'FLOAT':
        return this.push({ k: 'float', v: Number.parseFloat(arg as string) });
      case 'BINFLOAT':
        return this.push({ k: 'float', v: arg as number });
      case 'INT':
        return this.push(parseIntLine(arg as string, offset));
      case 'LONG':
        return this.push(parseIntLine((arg as string).replace(/L$/, ''), offset));
      case 'BININT':
      case 'BININT1':
      case 'BININT2':
        return this.push({ k: 'int', v: BigInt(arg as number) });
      case 'LONG1':
      case 'LONG4':
        return this.push({ k: 'int', v: arg as bigint });
      case 'NONE':
        return this.push(NONE);
      case 'NEWTRUE':
      case 'NEWFALSE':
        return this.push({ k: 'bool', v: name === 'NEWTRUE' });
      case 'PERSID':
      case 'BINPERSID': {
        this.record.persistentIds += 1;
        const id: PyValue = name === 'PERSID' ? { k: 'str', v: arg as string } : this.pop(offset);
        return this.push({ k: 'persid', id });
      }
      case 'STRING':
        return this.push({ k: 'str', v: (arg as string).replace(/^(['"])(.*)\1$/s, '$2') });
      case 'UNICODE':
        return this.push({ k: 'str', v: unescapeRawUnicode(arg as string) });
      case 'BINSTRING':
      case 'SHORT_BINSTRING':
      case 'BINUNICODE':
      case 'SHORT_BINUNICODE':
      case 'BINUNICODE8':
        return this.push({ k: 'str', v: arg as string });
      case 'BINBYTES':
      case 'SHORT_BINBYTES':
      case 'BINBYTES8':
      case 'BYTEARRAY8':
        return this.push({ k: 'bytes', length: (arg as { bytes: number }).bytes });
      default:
        return this.applyStructural(name, arg, offset, depth);
    }
  }

  private async applyStructural(name: string, arg: Arg, offset: number, depth: number) {
    switch (name) {
      case 'REDUCE': {
        const args = this.pop(offset);
        const callable = this.pop(offset);
        return this.push(this.call(callable, itemsOf(args) ?? [args], 'REDUCE', offset));
      }
      case 'NEWOBJ': {
        const args = this.pop(offset);
        const cls = this.pop(offset);
        return this.push(this.call(cls, itemsOf(args) ?? [args], 'NEWOBJ', offset));
      }
      case 'NEWOBJ_EX': {
        this.pop(offset);
        const args = this.pop(offset);
        const cls = this.pop(offset);
        return this.push(this.call(cls, itemsOf(args) ?? [args], 'NEWOBJ_EX', offset));
      }
      case 'GLOBAL': {
        const [module, attr] = arg as [string, string];
        return this.push(this.global(`${module}.${attr}`, offset));
      }
      case 'STACK_GLOBAL': {
        const attr = asString(this.pop(offset));
        const module = asString(this.pop(offset));
        if (module === null || attr === null) {
          this.record.addFinding('warning', `STACK_GLOBAL at ${offset} imports a computed name`);
        }
        return this.push(this.global(`${module ?? '<computed>'}.${attr ?? '<computed>'}`, offset));
      }
      case 'INST': {
        const args = this.popMark(offset);
        const [module, attr] = arg as [string, string];
        return this.push(this.call(this.global(`${module}.${attr}`, offset), args, 'INST', offset));
      }
      case 'OBJ': {
        const [cls = NONE, ...args] = this.popMark(offset);
        return this.push(this.call(cls, args, 'OBJ', offset));
      }
      case 'BUILD':
        return this.build(this.pop(offset), this.top(offset), offset, depth);
      default:
        return this.applyContainer(name, arg, offset);
    }
  }

  private applyContainer(name: string, arg: Arg, offset: number): void {
    switch (name) {
      case 'EMPTY_DICT':
        return this.push({ k: 'dict', entries: [] });
      case 'DICT':
        return this.push({ k: 'dict', entries: pairs(this.popMark(offset)) });
      case 'SETITEM': {
        const value = this.pop(offset);
        const key = this.pop(offset);
        return addEntries(this.top(offset), [[key, value]]);
      }
      case 'SETITEMS': {
        const items = this.popMark(offset);
        return addEntries(this.top(offset), pairs(items));
      }
      case 'EMPTY_LIST':
        return this.push({ k: 'list', items: [] });
      case 'LIST':
        return this.push({ k: 'list', items: this.popMark(offset) });
      case 'APPEND': {
        const value = this.pop(offset);
        return addItems(this.top(offset), [value]);
      }
      case 'APPENDS':
      case 'ADDITEMS': {
        const items = this.popMark(offset);
        return addItems(this.top(offset), items);
      }
      case 'EMPTY_TUPLE':
        return this.push({ k: 'tuple', items: [] });
      case 'TUPLE':
        return this.push({ k: 'tuple', items: this.popMark(offset) });
      case 'TUPLE1':
      case 'TUPLE2':
      case 'TUPLE3': {
        const n = Number(name.slice(5));
        const items = Array.from({ length: n }, () => this.pop(offset)).reverse();
        return this.push({ k: 'tuple', items });
      }
      case 'EMPTY_SET':
        return this.push({ k: 'set', items: [] });
      case 'FROZENSET':
        return this.push({ k: 'set', items: this.popMark(offset) });
      default:
        return this.applyMemo(name, arg, offset);
    }
  }

  private applyMemo(name: string, arg: Arg, offset: number): void {
    switch (name) {
      case 'GET':
      case 'BINGET':
      case 'LONG_BINGET': {
        const index = name === 'GET' ? Number.parseInt(arg as string, 10) : (arg as number);
        const value = this.memo.get(index);
        if (!value) throw new MalformedFileError('pickle', `memo ${index} is unset at ${offset}`);
        return this.push(value);
      }
      case 'PUT':
      case 'BINPUT':
      case 'LONG_BINPUT':
      case 'MEMOIZE': {
        const index =
          name === 'MEMOIZE'
            ? this.memo.size
            : name === 'PUT'
              ? Number.parseInt(arg as string, 10)
              : (arg as number);
        if (this.memo.size >= MAX_MEMO) {
          throw new LimitExceededError(`${MAX_MEMO} memo entries`, 'the pickle memoises too much');
        }
        this.memo.set(index, this.top(offset));
        return;
      }
      case 'EXT1':
      case 'EXT2':
      case 'EXT4':
        this.record.addImport(`<extension code ${arg}>`, offset);
        return this.push({ k: 'opaque', why: 'extension registry' });
      case 'PROTO':
        if ((arg as number) > 5) {
          throw new MalformedFileError('pickle', `it declares protocol ${arg} (at most 5 exist)`);
        }
        this.record.protocol ??= arg as number;
        return;
      case 'FRAME':
        if ((arg as bigint) > BigInt(this.reader.remaining)) {
          throw new ImplausibleHeaderError(
            'Pickle',
            `declares a ${describeCount(arg as bigint)}-byte frame with ` +
              `${formatBytes(this.reader.remaining)} left`,
          );
        }
        return;
      case 'NEXT_BUFFER':
        return this.push({ k: 'opaque', why: 'out-of-band buffer' });
      case 'READONLY_BUFFER':
        return;
      default:
        throw new MalformedFileError('pickle', `opcode ${name} at ${offset} is not handled`);
    }
  }

  private async build(state: PyValue, target: PyValue, offset: number, depth: number) {
    if (target.k !== 'object') return;
    target.state = state;
    const cls = classOf(target);
    this.record.addCall(cls ?? callableName(target.callable), 'BUILD', offset);
    const version = asString(getKey(state, '_sklearn_version'));
    if (version) this.record.sklearnVersions.add(version);
    if (cls === 'joblib.numpy_pickle.NumpyArrayWrapper') await this.skipJoblibArray(state, depth);
  }

  /** joblib writes each array's bytes right after its wrapper: step over them unread. */
  private async skipJoblibArray(state: PyValue, depth: number): Promise<void> {
    this.record.embeddedArrays += 1;
    const dtype = getKey(state, 'dtype');
    const descr = dtype?.k === 'object' ? asString(dtype.args[0]) : null;
    const shape = itemsOf(getKey(state, 'shape'))?.map(asInt);
    if (!descr || !shape || shape.some((d) => d === null)) {
      throw new MalformedFileError(
        'joblib',
        'an embedded array does not state its dtype and shape',
      );
    }
    if (/^[<>|=]?O/.test(descr)) {
      await new PickleMachine(this.reader, this.record, this.budget).runStream(depth + 1);
      return;
    }

    const stateItems = dtype?.k === 'object' ? itemsOf(dtype.state ?? undefined) : null;
    const declared = stateItems ? asInt(stateItems[5]) : null;
    const itemSize = declared !== null && declared > 0n ? declared : dtypeItemSize(descr);
    const elements = checkedProduct(shape as bigint[]);
    if (itemSize === null || elements === null) {
      throw new MalformedFileError('joblib', `an embedded array has an unreadable dtype ${descr}`);
    }
    if (getKey(state, 'numpy_array_alignment_bytes') !== undefined) {
      await this.reader.need(1, 'the array padding');
      this.reader.skip(this.reader.u8(), 'the array padding');
    }
    const bytes = elements * itemSize;
    if (bytes > BigInt(this.reader.remaining)) {
      throw new ImplausibleHeaderError(
        'joblib',
        `declares an array of ${describeCount(bytes)} bytes with ` +
          `${formatBytes(this.reader.remaining)} left in the file`,
      );
    }
    this.reader.skip(Number(bytes), 'an embedded array');
  }
}
