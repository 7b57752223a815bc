import { PartialType } from '@nestjs/swagger';
import { CreateTemplateDto } from './create-template.dto';

/** `PATCH /templates/{id}`: a changed subject, html or text makes a new version; `null` removes html or text. */
export class UpdateTemplateDto extends PartialType(CreateTemplateDto) {}
