import { describePlans } from '../support/plan-suite';

// examples/minecraft-java.yaml is the shipped file with other comments: planned here once.
describePlans('gamemanagement.yaml', ['bootstrap', 'gamemanagement-worlds', 'gamemanagement']);
