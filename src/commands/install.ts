import type { Command } from '../command.js';
const command: Command = { usage: 'install', summary: 'TODO', async run() { return 1; } };
export default command;
