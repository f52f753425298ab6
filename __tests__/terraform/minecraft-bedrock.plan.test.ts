import { describePlans } from '../support/plan-suite';

describePlans('examples/minecraft-bedrock.yaml', ['gamemanagement-worlds', 'gamemanagement']);
