import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { homePage } from './home-page';
import { HomeService } from './home.service';

/** The page at /: a page for people, so it is not part of the API description. */
@ApiExcludeController()
@Controller()
export class HomeController {
  constructor(private readonly home: HomeService) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async page(): Promise<string> {
    return homePage(await this.home.facts());
  }
}
