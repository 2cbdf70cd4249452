import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { mailConfig } from './mail.config.js';
import { MailCommandsController } from './mail-commands.controller.js';
import { MailSender } from './mail.sender.js';
import { ResetCodeRecorder } from './reset-code.recorder.js';

@Module({
  imports: [ConfigModule.forFeature(mailConfig)],
  controllers: [MailCommandsController],
  providers: [MailSender, ResetCodeRecorder],
})
export class MailModule {}
