import { describePlans } from '../support/plan-suite';

describePlans('examples/valheim.yaml', ['gamemanagement-worlds', 'gamemanagement']);
