import type { Command } from '../command.js';
const command: Command = { usage: 'check', summary: 'TODO', async run() { return 1; } };
export default command;
