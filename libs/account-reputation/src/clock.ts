import { Injectable } from '@nestjs/common';

/** The time reputation windows are computed at; tests move it (spy on `now`) to slide a window. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
