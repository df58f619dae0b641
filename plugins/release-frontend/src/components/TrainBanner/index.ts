export { TrainBanner, bannerTrain } from './TrainBanner';
