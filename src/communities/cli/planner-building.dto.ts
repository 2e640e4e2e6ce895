import { IsBuildingId, IsConsumptionKwh, IsPvKwp, IsRecordLatitude, IsRecordLongitude } from '../../building-records/record-rules';

/** One building of a planner's file: the record rules of a registration, with the CLI's wording. */
export class PlannerBuildingDto {
  @IsBuildingId('expected 1–100 letters, digits, _ or -')
  building_id!: string;

  @IsRecordLatitude({ type: 'expected a latitude between 45 and 48', range: 'expected a latitude between 45 and 48' })
  lat!: number;

  @IsRecordLongitude({ type: 'expected a longitude between 5 and 11', range: 'expected a longitude between 5 and 11' })
  lon!: number;

  @IsConsumptionKwh({ type: 'expected a number of kWh ≥ 0', range: 'expected a number of kWh ≥ 0' })
  annual_consumption_kwh!: number;

  @IsPvKwp({ type: 'expected a number of kWp ≥ 0', range: 'expected a number of kWp ≥ 0' })
  potential_pv_kwp!: number;
}
