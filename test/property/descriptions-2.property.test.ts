import { describeGeneratedDescriptions } from './scale';
import { installPropertyMocks } from './targets';

installPropertyMocks();
describeGeneratedDescriptions(2);
