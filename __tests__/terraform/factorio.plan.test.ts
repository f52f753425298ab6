import { describePlans } from '../support/plan-suite';

describePlans('examples/factorio.yaml', ['gamemanagement-worlds', 'gamemanagement']);
