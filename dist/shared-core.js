import { createRequire as __modelopsCreateRequire } from 'node:module';
const require = __modelopsCreateRequire(import.meta.url);
import './shared-lazy.js';
import './shared.js';
