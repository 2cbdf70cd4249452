import { ApiProperty } from '@nestjs/swagger';
import { Page } from '../../common/dto/page.dto.js';

/** One of the caller's photos and its recognition. */
export class Photo {
  id: number;
  /** @example "Clownfish" */
  title: string;
  /** Absolute URL of the image */
  image_url: string;
  /** ISO 8601, UTC */
  uploaded_at: string;
  /**
   * The best match's name once recognised
   * @example "Amphiprion ocellaris"
   */
  classified_as: string | null;
  // OpenAPI 3.0 lists null among a nullable enum's values, which the plugin does not.
  @ApiProperty({
    type: 'string',
    enum: ['pending', 'done', 'failed', null],
    nullable: true,
    description: 'null until a recognition is asked for',
  })
  status: 'pending' | 'done' | 'failed' | null;
  @ApiProperty({
    type: 'array',
    nullable: true,
    description: 'The matches of the first result, as Fishial gave them (Fishial may add fields)',
    items: {
      type: 'object',
      required: ['name', 'accuracy'],
      properties: { name: { type: 'string', example: 'Amphiprion ocellaris' }, accuracy: { type: 'number', example: 0.93 } },
      additionalProperties: true,
    },
  })
  species: unknown;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: "Fishial's whole answer" })
  fishial_result: unknown;
  /** Why the last recognition failed */
  error: string | null;
}

export class PhotoPage extends Page {
  results: Photo[];
}

/** Where to PUT one image, and the URL it is then served at. */
export class UploadTarget {
  /** PUT the file here with its Content-Type */
  uploadUrl: string;
  /** Send this as `image_url` when creating the photo */
  fileUrl: string;
}

/** A recognition asked for: pending until the consumer has Fishial's answer. */
export class Classification {
  photo_id: number;
  status: 'pending' | 'done';
}
