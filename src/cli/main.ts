// The CLI's entry: every command.
import { COMMANDS } from './commands.js';
import { runProcess } from './process.js';

await runProcess(COMMANDS);
