import { simulatedOutcome } from './mailbox-simulator';

describe(simulatedOutcome.name, () => {
  it.each([
    ['success@simulator.amazonses.com', 'delivered'],
    ['ooto@simulator.amazonses.com', 'delivered'],
    ['bounce@simulator.amazonses.com', 'bounce'],
    ['Bounce+Order-42@Simulator.AmazonSES.com', 'bounce'],
    ['"Ann" <complaint+a@simulator.amazonses.com>', 'complaint'],
    ['suppressionlist@simulator.amazonses.com', 'suppressed'],
    ['blackhole@simulator.amazonses.com', 'delivered'],
    ['bounce@example.com', 'delivered'],
    ['someone@example.com', 'delivered'],
  ])('%s → %s', (recipient, outcome) => {
    expect(simulatedOutcome(recipient)).toBe(outcome);
  });
});
