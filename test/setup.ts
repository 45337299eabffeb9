// Run before each test file (vitest.config.ts, setupFiles).
import { afterAll } from 'vitest';
import { removeScratchDirs } from './scratch.js';

afterAll(removeScratchDirs);
